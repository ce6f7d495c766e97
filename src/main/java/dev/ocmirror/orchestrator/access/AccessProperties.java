package dev.ocmirror.orchestrator.access;

import dev.ocmirror.orchestrator.bpmn.ProcessContract.Processes;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may log in on first start. Nothing here has a default password: the initial administrator's comes from
 * the environment, and demo users exist only in the {@code demo} profile.
 */
@ConfigurationProperties("orchestrator.access")
public class AccessProperties {

  private final InitialAdmin initialAdmin = new InitialAdmin();
  private List<SeedUser> users = new ArrayList<>();
  /** Process keys operators may start; the lifecycle's keys unless a deployment narrows them. */
  private List<String> operatorStartableProcesses = new ArrayList<>(Processes.LIFECYCLES);

  public InitialAdmin getInitialAdmin() {
    return initialAdmin;
  }

  public List<SeedUser> getUsers() {
    return users;
  }

  public void setUsers(List<SeedUser> users) {
    this.users = users;
  }

  public List<String> getOperatorStartableProcesses() {
    return operatorStartableProcesses;
  }

  public void setOperatorStartableProcesses(List<String> operatorStartableProcesses) {
    this.operatorStartableProcesses = operatorStartableProcesses;
  }

  public static class InitialAdmin {
    private String id = "admin";
    private String password;

    public String getId() {
      return id;
    }

    public void setId(String id) {
      this.id = id;
    }

    public String getPassword() {
      return password;
    }

    public void setPassword(String password) {
      this.password = password;
    }
  }

  /** A user created at start-up when missing; existing users are never changed. */
  public static class SeedUser {
    private String id;
    private String password;
    private String firstName;
    private String lastName;
    private String email;
    private List<String> groups = new ArrayList<>();

    public String getId() {
      return id;
    }

    public void setId(String id) {
      this.id = id;
    }

    public String getPassword() {
      return password;
    }

    public void setPassword(String password) {
      this.password = password;
    }

    public String getFirstName() {
      return firstName;
    }

    public void setFirstName(String firstName) {
      this.firstName = firstName;
    }

    public String getLastName() {
      return lastName;
    }

    public void setLastName(String lastName) {
      this.lastName = lastName;
    }

    public String getEmail() {
      return email;
    }

    public void setEmail(String email) {
      this.email = email;
    }

    public List<String> getGroups() {
      return groups;
    }

    public void setGroups(List<String> groups) {
      this.groups = groups;
    }
  }
}
