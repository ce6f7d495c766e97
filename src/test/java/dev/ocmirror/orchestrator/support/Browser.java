package dev.ocmirror.orchestrator.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One person's browser: Debian's headless Chromium driven through chromedriver, with its own profile (cookies,
 * session). {@code ./test} installs both; elsewhere the browser tests are skipped unless
 * {@code -Dbrowser.tests.required=true} or {@code CI=true} makes a missing browser a failure.
 */
public final class Browser implements AutoCloseable {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ChromeDriver driver;
  private final String baseUrl;
  private final String name;
  private final Path profile;

  private Browser(ChromeDriver driver, String baseUrl, String name, Path profile) {
    this.driver = driver;
    this.baseUrl = baseUrl;
    this.name = name;
    this.profile = profile;
  }

  public static void requireChromium() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    String message = "Debian's chromium and chromium-driver are not installed (" + CHROMIUM + ", " + CHROMEDRIVER + ")";
    if (Boolean.getBoolean("browser.tests.required") || "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(message + "; ./test installs them");
    }
    Assumptions.abort(message + " (skipped; set CI=true or -Dbrowser.tests.required=true to make this fail)");
  }

  /** A fresh browser for one person of the walk-through, against the service at {@code baseUrl}. */
  public static Browser open(String baseUrl, String name) {
    requireChromium();
    try {
      Path profile = Files.createTempDirectory("chromium-" + name);
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      // As the machine's own probe starts it: without the background-networking flags Chromium keeps dialling out.
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--window-size=1400,1000", "--user-data-dir=" + profile);
      ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
          .usingAnyFreePort().build();
      return new Browser(new ChromeDriver(service, options), baseUrl, name, profile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public WebDriver driver() {
    return driver;
  }

  public void go(String path) {
    driver.get(path.startsWith("http") ? path : baseUrl + path);
  }

  public WebElement find(By by) {
    return until(browser -> browser.findElements(by).stream().filter(WebElement::isDisplayed).findFirst().orElse(null),
        "a visible " + by);
  }

  public List<WebElement> all(By by) {
    return driver.findElements(by);
  }

  /**
   * Waits until {@code condition} gives something other than null or false. An element read while the page is being
   * replaced (after a form's redirect) is looked at again: chromedriver reports it as stale or, mid-navigation, as a
   * node that "does not belong to the document".
   */
  public <T> T until(Function<WebDriver, T> condition, String what) {
    return new WebDriverWait(driver, WAIT).withMessage(name + " waited for " + what + " on " + driver.getCurrentUrl())
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(browser -> {
          try {
            return condition.apply(browser);
          } catch (WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
              return null;
            }
            throw e;
          }
        });
  }

  public String pageText() {
    return driver.findElement(By.tagName("body")).getText();
  }

  /** Waits until the page's text holds {@code text}, and returns that text. */
  public String untilText(String text) {
    return until(browser -> pageText().contains(text) ? pageText() : null, "'" + text + "'");
  }

  /** A click as a person makes it, on an element scrolled into the middle of the window (Tasklist's footer hides some). */
  public void click(WebElement element) {
    ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
    element.click();
  }

  public void type(WebElement field, String text) {
    ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'});", field);
    field.clear();
    field.sendKeys(text);
  }

  /** Camunda's login, as at the door of Tasklist. */
  public void signInToTasklist(String user, String password) {
    go("/camunda/app/tasklist/default/#/login");
    type(find(By.cssSelector("input[ng-model=username]")), user);
    type(find(By.cssSelector("input[ng-model=password]")), password);
    click(find(By.cssSelector("button[type=submit]")));
    find(By.cssSelector("li.start-process-action a"));
  }

  /** A form-js field of a Camunda form by its component id, e.g. {@code Field_review_transfer_3}. */
  public WebElement formField(String componentId) {
    return find(By.cssSelector("[id$='-" + componentId + "']"));
  }

  /** What a form-js field shows, disabled fields included. */
  public String formValue(String componentId) {
    return formField(componentId).getDomProperty("value");
  }

  /** Keeps a picture of the window under target/browser, for whoever reads a failed run. */
  public Path screenshot(String what) {
    try {
      Path directory = Files.createDirectories(Path.of("target", "browser"));
      Path file = directory.resolve(name + "-" + what + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // A leftover profile in the temporary directory harms nothing.
    }
  }
}
