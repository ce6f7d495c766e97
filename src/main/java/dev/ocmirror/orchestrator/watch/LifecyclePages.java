package dev.ocmirror.orchestrator.watch;

import static dev.ocmirror.orchestrator.access.CamundaIdentityAuthenticationProvider.groupsOf;

import dev.ocmirror.orchestrator.access.AccessGroups;
import dev.ocmirror.orchestrator.access.Refusal;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.Processes;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables;
import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import dev.ocmirror.orchestrator.lifecycle.PrepareConfiguration;
import jakarta.servlet.http.HttpServletResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The service's pages for people, behind the webapps' sign-in ({@code WebSecurityConfiguration}): an overview of the
 * enclaves and lifecycles, a page per lifecycle that follows its oc-mirror runs as they go, and the start of an update
 * from the last configuration. Starting goes through the engine as the signed-in person, so every check of a start
 * holds here as at any other door.
 */
@Controller
public class LifecyclePages {

  private static final Logger LOG = LoggerFactory.getLogger(LifecyclePages.class);
  private static final int MAX_CONFIG = 1 << 20;

  private final LifecycleViews views;
  private final RuntimeService runtime;
  private final IdentityService identity;
  private final PrepareConfiguration configurations;
  private final LifecycleProperties properties;
  private final String engineName;

  public LifecyclePages(LifecycleViews views, RuntimeService runtime, IdentityService identity,
      PrepareConfiguration configurations, LifecycleProperties properties, org.camunda.bpm.engine.ProcessEngine engine) {
    this.engineName = engine.getName();
    this.views = views;
    this.runtime = runtime;
    this.identity = identity;
    this.configurations = configurations;
    this.properties = properties;
  }

  /** Who is looking, and what the page may offer them. */
  public record Person(String name, List<String> groups) {

    public boolean mayStart() {
      return groups.contains(AccessGroups.OPERATORS) || groups.contains(AccessGroups.ADMINS);
    }

    public boolean mayAudit() {
      return groups.contains(AccessGroups.COMPLIANCE) || groups.contains(AccessGroups.ADMINS);
    }
  }

  @ModelAttribute
  void everyPage(Model model, Authentication who) {
    boolean signedIn = who != null && !(who instanceof AnonymousAuthenticationToken);
    model.addAttribute("me", signedIn ? new Person(who.getName(), groupsOf(who)) : null);
    model.addAttribute("simulated", properties.mirror().simulated());
    model.addAttribute("station", properties.receivingStation());
  }

  @GetMapping("/lifecycles")
  public String overview(Model model) {
    model.addAttribute("overview", views.overview());
    return "lifecycles";
  }

  @GetMapping("/lifecycles/live")
  public String overviewLive(Model model) {
    model.addAttribute("overview", views.overview());
    return "lifecycles :: live";
  }

  @GetMapping("/lifecycles/{id}")
  public String lifecycle(@PathVariable String id, Model model, Authentication who) {
    model.addAttribute("view", view(id, who));
    return "lifecycle";
  }

  @GetMapping("/lifecycles/{id}/live")
  public String lifecycleLive(@PathVariable String id, Model model, Authentication who) {
    model.addAttribute("view", view(id, who));
    return "lifecycle :: live";
  }

  @GetMapping("/lifecycles/new-update")
  public String newUpdate(Model model) {
    model.addAttribute("imagesetConfig", configurations.latestConfiguration().orElse(""));
    model.addAttribute("enclaves", "");
    model.addAttribute("noBaseline", configurations.latestConfiguration().isEmpty());
    return "new-update";
  }

  @PostMapping("/lifecycles/new-update")
  public String startUpdate(@RequestParam(defaultValue = "") String imagesetConfig,
      @RequestParam(defaultValue = "") String enclaves, Authentication who, Model model, HttpServletResponse response) {
    model.addAttribute("imagesetConfig", imagesetConfig);
    model.addAttribute("enclaves", enclaves);
    model.addAttribute("noBaseline", false);
    if (imagesetConfig.length() > MAX_CONFIG) {
      return refused(model, response, HttpStatus.BAD_REQUEST, "The configuration is longer than " + MAX_CONFIG
          + " characters.");
    }
    Map<String, Object> values = new HashMap<>();
    values.put(Variables.IMAGESET_CONFIG, imagesetConfig);
    if (!enclaves.isBlank()) {
      values.put(Variables.ENCLAVES, enclaves);
    }
    identity.setAuthentication(who.getName(), groupsOf(who));
    try {
      ProcessInstance started = runtime.startProcessInstanceByKey(Processes.UPDATE, values);
      LOG.info("{} started update {} from the lifecycle pages", who.getName(), started.getId());
      return "redirect:/lifecycles/" + started.getId();
    } catch (Refusal.NotAllowed notAllowed) {
      return refused(model, response, HttpStatus.FORBIDDEN, notAllowed.getMessage());
    } catch (Refusal.NotAccepted notAccepted) {
      return refused(model, response, HttpStatus.BAD_REQUEST, notAccepted.getMessage());
    } catch (AuthorizationException notAllowed) {
      return refused(model, response, HttpStatus.FORBIDDEN, "You may not start an update.");
    } catch (ProcessEngineException failed) {
      // Not a refusal but a fault: its words are for the log, not for the person.
      LOG.warn("Starting an update for {} failed: {}", who.getName(), failed.toString());
      return refused(model, response, HttpStatus.INTERNAL_SERVER_ERROR, "The update could not be started; the service's"
          + " log says why, and nothing was started.");
    } finally {
      identity.clearAuthentication();
    }
  }

  @GetMapping("/sign-in")
  public String signIn(@RequestParam(defaultValue = "/lifecycles") String next, Model model) {
    model.addAttribute("engineName", engineName);
    // Only back to a page of this service: a sign-in must not forward anyone elsewhere.
    model.addAttribute("next", next.matches("/lifecycles(/[A-Za-z0-9-]*)*") ? next : "/lifecycles");
    return "sign-in";
  }

  private String refused(Model model, HttpServletResponse response, HttpStatus status, String sentence) {
    response.setStatus(status.value());
    model.addAttribute("refusal", sentence);
    return "new-update";
  }

  private LifecycleViews.LifecycleView view(String id, Authentication who) {
    return views.lifecycle(id, who.getName(), groupsOf(who)).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
        "There is no lifecycle " + id + "."));
  }
}
