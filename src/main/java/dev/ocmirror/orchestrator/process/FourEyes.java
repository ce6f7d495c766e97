package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.process.ProcessVariables.APPROVER;
import static dev.ocmirror.orchestrator.process.ProcessVariables.REQUESTED_BY;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.authorization.TaskPermissions;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.springframework.stereotype.Component;

/**
 * Whoever requested a transfer or rollback can neither claim nor complete its approval. On create, a revoke
 * authorization hides the task from the requester, so Tasklist does not even offer it; on assignment and
 * complete, this listener refuses, whatever the authorizations say. The approver is recorded on completion.
 */
@Component("fourEyes")
public class FourEyes implements TaskListener {

  private final AuthorizationService authorizations;

  public FourEyes(AuthorizationService authorizations) {
    this.authorizations = authorizations;
  }

  @Override
  public void notify(DelegateTask task) {
    String requester = (String) task.getVariable(REQUESTED_BY);
    switch (task.getEventName()) {
      case EVENTNAME_CREATE -> hideFrom(requester, task);
      case EVENTNAME_ASSIGNMENT -> {
        if (requester != null && requester.equals(task.getAssignee())) {
          throw new ProcessEngineException("Four-eyes rule: " + requester + " requested this and cannot approve it; "
              + "another member of change-managers must");
        }
      }
      case EVENTNAME_COMPLETE -> {
        String user = currentUser(task);
        if (user == null) {
          throw new ProcessEngineException("An approval must be completed by a signed-in user");
        }
        if (user.equals(requester)) {
          throw new ProcessEngineException("Four-eyes rule: " + requester + " requested this and cannot approve it; "
              + "another member of change-managers must");
        }
        task.setVariable(APPROVER, user);
      }
      default -> {
      }
    }
  }

  private void hideFrom(String requester, DelegateTask task) {
    if (requester == null) {
      return;
    }
    // The step that creates the task runs as whoever completed the one before; granting is the service's act.
    CommandContext context = Context.getCommandContext();
    boolean checking = context.isAuthorizationCheckEnabled();
    context.disableAuthorizationCheck();
    try {
      Authorization revoke = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_REVOKE);
      revoke.setUserId(requester);
      revoke.setResource(Resources.TASK);
      revoke.setResourceId(task.getId());
      revoke.removePermission(Permissions.READ);
      revoke.removePermission(TaskPermissions.TASK_WORK);
      revoke.removePermission(Permissions.UPDATE);
      authorizations.saveAuthorization(revoke);
    } finally {
      if (checking) {
        context.enableAuthorizationCheck();
      }
    }
  }

  static String currentUser(DelegateTask task) {
    var authentication = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    return authentication == null ? null : authentication.getUserId();
  }
}
