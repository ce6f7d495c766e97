package dev.ocmirror.orchestrator.access;

import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Tells a caller who the service takes them for: the user and groups the engine will authorize. */
@RestController
public class CurrentUserController {

  private final IdentityService identityService;

  public CurrentUserController(IdentityService identityService) {
    this.identityService = identityService;
  }

  public record CurrentUser(String userId, List<String> groups) {
  }

  @GetMapping("/api/me")
  public CurrentUser currentUser() {
    Authentication authentication = identityService.getCurrentAuthentication();
    return new CurrentUser(authentication.getUserId(), authentication.getGroupIds().stream().sorted().toList());
  }
}
