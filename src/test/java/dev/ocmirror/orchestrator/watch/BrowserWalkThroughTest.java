package dev.ocmirror.orchestrator.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocmirror.orchestrator.support.Browser;
import dev.ocmirror.orchestrator.support.DemoOnItsOwn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The README's demo walked by its people in a real browser (Debian's headless Chromium): olivia starts a baseline in
 * Tasklist and watches its mirror run on the lifecycle's page as it happens; carla reviews the transfer on one screen,
 * is told in one sentence why a rejection without a comment is refused, and approves; olivia hands the media over,
 * oscar confirms their receipt; the page shows the delivery; olivia starts the update from the last configuration;
 * cora signs in once on the service's own page and reads the audit report, and Tasklist, which is not hers, answers
 * with a page that says so.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class BrowserWalkThroughTest {

  private static Path directory;
  private final List<Browser> browsers = new ArrayList<>();

  @BeforeAll
  static void aBrowserIsThere() {
    Browser.requireChromium();
  }

  @DynamicPropertySource
  static void demoOnItsOwnDirectory(DynamicPropertyRegistry registry) throws IOException {
    directory = DemoOnItsOwn.register(registry);
    // A heartbeat every two seconds, so that a cancelled lifecycle's run is stopped within seconds.
    registry.add("orchestrator.worker.lock-duration", () -> "PT8S");
    // The mirror runs slowly enough (3 s an image) to be watched while it runs.
    Path slow = directory.resolve("slow-bin/oc-mirror");
    Files.createDirectories(slow.getParent());
    Files.writeString(slow, "#!/bin/sh\nexport OC_MIRROR_SIMULATOR_DELAY_PER_IMAGE_MS=3000\nexec " + directory.resolve("bin/oc-mirror")
        + " \"$@\"\n");
    Files.setPosixFilePermissions(slow, PosixFilePermissions.fromString("rwxr-xr-x"));
    registry.add("orchestrator.mirror.oc-mirror", slow::toString);
  }

  @LocalServerPort
  int port;
  @Autowired
  HistoryService history;
  @Autowired
  org.camunda.bpm.engine.RuntimeService runtime;

  @AfterEach
  void closeBrowsers() {
    for (Browser browser : browsers) {
      browser.screenshot("last");
      browser.close();
    }
  }

  private Browser browserOf(String person) {
    Browser browser = Browser.open("http://127.0.0.1:" + port, person);
    browsers.add(browser);
    return browser;
  }

  @Test
  void theDemoWalkedInTheBrowser() throws Exception {
    String month1 = Files.readString(directory.resolve("imageset-config-month1.yaml"));
    String month2 = Files.readString(directory.resolve("imageset-config-month2.yaml"));

    // olivia starts the baseline in Tasklist; the start form says the demo is simulated.
    Browser olivia = browserOf("olivia");
    olivia.signInToTasklist("olivia", "demo");
    olivia.click(olivia.find(By.cssSelector("li.start-process-action a")));
    olivia.click(olivia.find(By.linkText("Mirror baseline")));
    olivia.untilText("DEMO: oc-mirror is SIMULATED here.");
    olivia.type(olivia.formField("Field_request_mirror_1"), month1);
    olivia.type(olivia.formField("Field_request_mirror_2"), "demo-site");
    olivia.click(olivia.find(By.cssSelector("button[ng-click='startProcessInstance()']")));
    HistoricProcessInstance baseline = olivia.until(driver -> history.createHistoricProcessInstanceQuery()
        .processDefinitionKey("mirror-baseline").singleResult(), "the baseline to start");
    assertThat(baseline.getStartUserId()).isEqualTo("olivia");

    // With the same sign-in, the overview leads to the lifecycle's page, which follows the mirror run as it goes.
    olivia.go("/lifecycles");
    olivia.click(olivia.find(By.cssSelector("tr[data-lifecycle='" + baseline.getId() + "'] a")));
    olivia.untilText("Baseline requested by olivia");
    ((JavascriptExecutor) olivia.driver()).executeScript("window.stillTheSamePage = true;");
    List<String> seen = new ArrayList<>();
    List<String> logWhileRunning = new ArrayList<>();
    olivia.until(driver -> {
      for (WebElement run : driver.findElements(By.cssSelector(".run"))) {
        if (run.getText().startsWith("Mirror to disk")) {
          String state = run.getDomAttribute("data-state") + " " + run.findElement(By.cssSelector(".images")).getText();
          if (!seen.contains(state)) {
            seen.add(state);
          }
          if (state.startsWith("RUNNING")) {
            logWhileRunning.add(run.findElement(By.cssSelector("pre.log")).getText());
          }
        }
      }
      return seen.contains("EXITED 2 of 2");
    }, "the mirror run to finish on the page");
    assertThat(seen).as("states of the run the page showed, refreshing by itself")
        .anyMatch(state -> state.matches("RUNNING [01] of 2"));
    assertThat(((JavascriptExecutor) olivia.driver()).executeScript("return window.stillTheSamePage === true;"))
        .as("no reload: the page refreshed its live part").isEqualTo(true);
    String runText = olivia.find(By.cssSelector(".run[data-state='EXITED']:last-of-type")).getText();
    assertThat(runText).contains("Errors so far", "Elapsed", "Rate", "Time left", "images/min");
    assertThat(logWhileRunning).as("the log's last lines, open while the run goes")
        .anyMatch(log -> log.contains("[INFO]") && log.contains("mirrorToDisk"));

    // carla reviews on one screen: requester, every image added, sizes with exact bytes, verdict, alternatives.
    olivia.untilText("Review the transfer");
    assertThat(olivia.all(By.linkText("Review the transfer"))).as("the requester does not see her approval task").isEmpty();
    Browser carla = browserOf("carla");
    carla.signInToTasklist("carla", "demo");
    openTaskFromTheLifecyclePage(carla, baseline.getId(), "Review the transfer");
    assertThat(carla.formValue("Field_review_transfer_requester")).isEqualTo("olivia");
    assertThat(carla.formValue("Field_review_transfer_3")).contains("Added (2):", "+ additional image");
    String plan = carla.formValue("Field_review_transfer_5");
    assertThat(plan).contains("PROVEN COMPLETE", "KiB (", " bytes)", "CUMULATIVE", "NEW_BASELINE", "Choose it when");
    WebElement pageLink = carla.find(By.partialLinkText("Open this lifecycle's page"));
    assertThat(pageLink.getDomAttribute("href")).isEqualTo("/lifecycles/" + baseline.getId());
    carla.screenshot("review");

    carla.click(carla.find(By.cssSelector("button[ng-click='complete()']")));
    String refusal = carla.untilText("a rejection needs a comment that says why");
    assertThat(refusal).doesNotContain("ENGINE-", "Exception", "TaskListener");
    for (WebElement close : carla.all(By.cssSelector(".page-notifications .close"))) {
      if (close.isDisplayed()) {
        carla.click(close);
      }
    }
    carla.click(carla.formField("Field_review_transfer_6"));
    carla.click(carla.find(By.cssSelector("button[ng-click='complete()']")));

    // olivia signs off the handover from her lifecycle page; oscar confirms the receipt.
    openTaskFromTheLifecyclePage(olivia, baseline.getId(), "Sign off the handover");
    olivia.type(olivia.formField("Field_sign_off_handover_5"), "USB-0001");
    olivia.type(olivia.formField("Field_sign_off_handover_6"), "S-77");
    olivia.type(olivia.formField("Field_sign_off_handover_7"), "Olga Courier");
    olivia.click(olivia.find(By.cssSelector("button[ng-click='complete()']")));

    Browser oscar = browserOf("oscar");
    oscar.signInToTasklist("oscar", "demo");
    openTaskFromTheLifecyclePage(oscar, baseline.getId(), "Confirm receipt");
    oscar.type(oscar.formField("Field_confirm_receipt_4"), "USB-0001");
    oscar.type(oscar.formField("Field_confirm_receipt_5"), "S-77");
    oscar.click(oscar.find(By.xpath("//label[contains(., 'Yes, the seal is intact')]")));
    oscar.click(oscar.find(By.cssSelector("button[ng-click='complete()']")));

    olivia.go("/lifecycles/" + baseline.getId());
    olivia.until(driver -> olivia.find(By.id("outcome")).getText().equals("DELIVERED"), "the baseline to be delivered");
    assertThat(olivia.pageText()).contains("demo-site", "Import into the enclave's registry");

    // The update starts from the last configuration, prefilled; a refusal keeps what was typed.
    olivia.click(olivia.find(By.linkText("Start an update")));
    WebElement configuration = olivia.find(By.id("imagesetConfig"));
    assertThat(configuration.getDomProperty("value").strip()).isEqualTo(month1.strip());
    olivia.type(configuration, " ");
    olivia.click(olivia.find(By.id("start")));
    assertThat(olivia.find(By.id("refusal")).getText()).contains("imagesetConfig").doesNotContain("ENGINE-");
    olivia.type(olivia.find(By.id("imagesetConfig")), month2);
    olivia.click(olivia.find(By.id("start")));
    olivia.untilText("Update requested by olivia");

    // An administrator cancels the update while it mirrors: its run is stopped and the page says it ended.
    HistoricProcessInstance update = history.createHistoricProcessInstanceQuery().processDefinitionKey("mirror-update")
        .singleResult();
    olivia.find(By.cssSelector(".run[data-state='RUNNING']"));
    runtime.deleteProcessInstance(update.getId(), "cancelled by an administrator");
    olivia.until(driver -> {
      olivia.go("/lifecycles/" + update.getId());
      return olivia.find(By.id("outcome")).getText().equals("FAILED") && olivia.all(By.cssSelector(".run")).stream()
          .noneMatch(run -> "RUNNING".equals(run.getDomAttribute("data-state"))) ? true : null;
    }, "the cancelled update's run to end on its page");

    // cora signs in once, on the service's own page, and reads the audit report from the lifecycle's page.
    Browser cora = browserOf("cora");
    cora.go("/lifecycles/" + baseline.getId());
    cora.until(driver -> driver.getCurrentUrl().contains("/sign-in"), "cora to be asked to sign in");
    cora.type(cora.find(By.id("username")), "cora");
    cora.type(cora.find(By.id("password")), "demo");
    cora.click(cora.find(By.cssSelector("#sign-in button")));
    cora.untilText("Baseline requested by olivia");
    assertThat(cora.all(By.linkText("Start an update"))).as("compliance starts nothing").isEmpty();
    cora.click(cora.find(By.id("audit-report")));
    String report = cora.untilText("carla");
    assertThat(report).contains("olivia", "oscar", "DELIVERED");
    cora.go("/camunda/app/tasklist/default/");
    assertThat(cora.untilText("This is not open to your groups")).doesNotContain("Whitelabel");
  }

  /** Follows the task's link on the lifecycle's page into Tasklist, and claims the task there. */
  private static void openTaskFromTheLifecyclePage(Browser person, String lifecycleId, String task) {
    person.go("/lifecycles/" + lifecycleId);
    String link = person.find(By.linkText(task)).getDomAttribute("href");
    assertThat(link).startsWith("/camunda/app/tasklist/default/#/?task=");
    person.go(link);
    claim(person);
  }

  /** Tasklist shows "Claim" on a task nobody works yet. */
  private static void claim(Browser person) {
    person.click(person.find(By.cssSelector("button.claim")));
    person.find(By.cssSelector("button[ng-click='complete()']"));
    person.until(driver -> driver.findElements(By.cssSelector("button.claim")).isEmpty(), "the claim to take");
  }
}
