package dev.ocmirror.orchestrator.process;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.authorization.TaskPermissions;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;

/** Hides a task from one person, so that Tasklist does not offer them work the listeners would refuse. */
final class TaskVisibility {

  private TaskVisibility() {
  }

  static void hideFrom(AuthorizationService authorizations, String userId, DelegateTask task) {
    if (userId == null) {
      return;
    }
    // The step that creates the task runs as whoever completed the one before; granting is the service's act.
    CommandContext context = Context.getCommandContext();
    boolean checking = context.isAuthorizationCheckEnabled();
    context.disableAuthorizationCheck();
    try {
      Authorization revoke = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_REVOKE);
      revoke.setUserId(userId);
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
}
