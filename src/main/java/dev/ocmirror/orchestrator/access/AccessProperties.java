package dev.ocmirror.orchestrator.access;

import dev.ocmirror.orchestrator.bpmn.ProcessContract.Processes;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may log in on first start. Nothing here has a default password: the initial administrator's comes from
 * the environment, and demo users exist only in the {@code demo} profile.
 *
 * @param operatorStartableProcesses process keys operators may start; the lifecycle's keys unless a deployment
 *     narrows them
 */
@ConfigurationProperties("orchestrator.access")
public record AccessProperties(InitialAdmin initialAdmin, List<SeedUser> users, List<String> operatorStartableProcesses) {

  public AccessProperties {
    initialAdmin = initialAdmin == null ? new InitialAdmin(null, null) : initialAdmin;
    users = users == null ? List.of() : List.copyOf(users);
    operatorStartableProcesses = operatorStartableProcesses == null ? Processes.LIFECYCLES
        : List.copyOf(operatorStartableProcesses);
  }

  public record InitialAdmin(String id, String password) {

    public InitialAdmin {
      id = id == null ? "admin" : id;
    }
  }

  /** A user created at start-up when missing; existing users are never changed. */
  public record SeedUser(String id, String password, String firstName, String lastName, String email, List<String> groups) {

    public SeedUser {
      groups = groups == null ? List.of() : List.copyOf(groups);
    }
  }
}
