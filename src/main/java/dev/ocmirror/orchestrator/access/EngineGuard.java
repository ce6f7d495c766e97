package dev.ocmirror.orchestrator.access;

import dev.ocmirror.orchestrator.audit.RefusedActs;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.exception.NotValidException;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.TaskAlreadyClaimedException;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.authorization.TaskPermissions;
import org.camunda.bpm.engine.impl.batch.RestartProcessInstancesBatchCmd;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.AbstractSetJobsRetriesBatchCmd;
import org.camunda.bpm.engine.impl.cmd.AddCommentCmd;
import org.camunda.bpm.engine.impl.cmd.ClaimTaskCmd;
import org.camunda.bpm.engine.impl.cmd.DelegateTaskCmd;
import org.camunda.bpm.engine.impl.cmd.ResolveTaskCmd;
import org.camunda.bpm.engine.impl.cmd.SetJobRetriesCmd;
import org.camunda.bpm.engine.impl.cmd.CompleteExternalTaskCmd;
import org.camunda.bpm.engine.impl.cmd.CreateAttachmentCmd;
import org.camunda.bpm.engine.impl.cmd.DeleteAttachmentCmd;
import org.camunda.bpm.engine.impl.cmd.DeleteHistoricVariableInstanceCmd;
import org.camunda.bpm.engine.impl.cmd.DeleteHistoricVariableInstancesByProcessInstanceIdCmd;
import org.camunda.bpm.engine.impl.cmd.DeleteProcessInstanceCommentCmd;
import org.camunda.bpm.engine.impl.cmd.DeleteTaskCommentCmd;
import org.camunda.bpm.engine.impl.cmd.DeleteUserOperationLogEntryCmd;
import org.camunda.bpm.engine.impl.cmd.ExtendLockOnExternalTaskCmd;
import org.camunda.bpm.engine.impl.cmd.FetchExternalTasksCmd;
import org.camunda.bpm.engine.impl.cmd.HandleExternalTaskBpmnErrorCmd;
import org.camunda.bpm.engine.impl.cmd.HandleExternalTaskFailureCmd;
import org.camunda.bpm.engine.impl.cmd.HandleTaskBpmnErrorCmd;
import org.camunda.bpm.engine.impl.cmd.HandleTaskEscalationCmd;
import org.camunda.bpm.engine.impl.cmd.LockExternalTaskCmd;
import org.camunda.bpm.engine.impl.cmd.RestartProcessInstancesCmd;
import org.camunda.bpm.engine.impl.cmd.StartProcessInstanceAtActivitiesCmd;
import org.camunda.bpm.engine.impl.cmd.UnlockExternalTaskCmd;
import org.camunda.bpm.engine.impl.cmd.UpdateCommentCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's outer edge, through which every command passes whatever door it came by (Tasklist, Cockpit,
 * {@code /engine-rest}, the service's own code). Three duties:
 * <ul>
 *   <li>refuse, for people, the commands that walk around the lifecycle's controls although the engine's
 *   authorizations would let them through: starting past a start event or restarting (both need only
 *   {@code CREATE_INSTANCE}), throwing BPMN errors out of a user task, commenting on a task one cannot work
 *   (the engine checks nothing there), editing or deleting what the record is made of, and working the
 *   lifecycle's external tasks, which only the service's worker does;</li>
 *   <li>answer a {@link Refusal} raised deep inside a command as itself (400 or 403 with its sentence) instead of
 *   the engine's wrapped 500, and record it for the audit after the command's rollback;</li>
 *   <li>log each failed command once, as the engine would, since the engine's own logging of them is turned off
 *   (it would log every refusal as an error with a stack trace).</li>
 * </ul>
 */
public class EngineGuard extends CommandInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(EngineGuard.class);

  /** Open to administrators only: each starts or ends a path without the listeners the lifecycle relies on. */
  private static final Set<Class<?>> ADMINS_ONLY = Set.of(StartProcessInstanceAtActivitiesCmd.class,
      RestartProcessInstancesCmd.class, RestartProcessInstancesBatchCmd.class, HandleTaskBpmnErrorCmd.class,
      HandleTaskEscalationCmd.class, ResolveTaskCmd.class, DelegateTaskCmd.class);

  /** The worker runs inside the service without a signed-in user; no person works these, administrators included. */
  private static final Set<Class<?>> WORKER_ONLY = Set.of(FetchExternalTasksCmd.class, LockExternalTaskCmd.class,
      CompleteExternalTaskCmd.class, HandleExternalTaskFailureCmd.class, HandleExternalTaskBpmnErrorCmd.class,
      ExtendLockOnExternalTaskCmd.class, UnlockExternalTaskCmd.class);

  /** The record is append-only: nobody edits or deletes comments, attachments, operation log or variable history. */
  private static final Set<Class<?>> NOBODY = Set.of(UpdateCommentCmd.class, DeleteTaskCommentCmd.class,
      DeleteProcessInstanceCommentCmd.class, DeleteAttachmentCmd.class, DeleteUserOperationLogEntryCmd.class,
      DeleteHistoricVariableInstanceCmd.class, DeleteHistoricVariableInstancesByProcessInstanceIdCmd.class);

  private final ProcessEngineConfigurationImpl configuration;
  private final RefusedActs refusedActs;

  public EngineGuard(ProcessEngineConfigurationImpl configuration, RefusedActs refusedActs) {
    this.configuration = configuration;
    this.refusedActs = refusedActs;
  }

  @Override
  public <T> T execute(Command<T> command) {
    if (Context.getCommandContext() != null) {
      // A command the service's own code runs inside another: the outer one was checked and answers for both.
      return next.execute(command);
    }
    Authentication person = configuration.getIdentityService().getCurrentAuthentication();
    if (person != null) {
      refuseWalkArounds(command, person);
    }
    try {
      return next.execute(command);
    } catch (RuntimeException failure) {
      Refusal refusal = Refusal.in(failure);
      if (refusal == null) {
        logLikeTheEngine(failure);
        throw failure;
      }
      throw answer(refusal, person);
    }
  }

  private void refuseWalkArounds(Command<?> command, Authentication person) {
    Class<?> type = command.getClass();
    if (NOBODY.contains(type)) {
      throw answer(Refusal.notAllowed("The record of a lifecycle cannot be edited or deleted."), person);
    }
    if (WORKER_ONLY.contains(type)) {
      throw answer(Refusal.notAllowed("The lifecycle's oc-mirror steps are worked only by the service's own worker."),
          person);
    }
    boolean admin = isAdmin(person);
    if (admin) {
      return;
    }
    if (ADMINS_ONLY.contains(type)) {
      // Resolving writes any variable with no completion listener to check it; delegating hands the task on.
      throw answer(Refusal.notAllowed("Only an administrator may start, restart or end a process other than at its "
          + "start event or by completing its tasks, or resolve or delegate a task."), person);
    }
    if (command instanceof ClaimTaskCmd && field(command, "userId") != null
        && !field(command, "userId").equals(person.getUserId())) {
      // The one who claims would hand the task, and the right to work it, to anyone, compliance included.
      throw answer(Refusal.notAllowed("You may claim a task only for yourself."), person);
    }
    if ((command instanceof SetJobRetriesCmd && "true".equals(field(command, "isDueDateSet")))
        || command instanceof AbstractSetJobsRetriesBatchCmd) {
      // A new due date fires a timer at will, the monthly update's among them.
      throw answer(Refusal.notAllowed("You may retry a failed step, but only an administrator may change when a job is "
          + "due or retry jobs in batches."), person);
    }
    if (command instanceof AddCommentCmd || command instanceof CreateAttachmentCmd) {
      String taskId = field(command, "taskId");
      if (taskId == null || !canWork(person, taskId)) {
        throw answer(new Refusal(Refusal.Kind.NOT_ALLOWED, "You may comment only on a task you can work.",
            processInstanceOf(taskId), taskId, null), person);
      }
    }
  }

  private boolean isAdmin(Authentication person) {
    List<String> groups = person.getGroupIds() == null ? List.of() : person.getGroupIds();
    List<String> adminGroups = configuration.getAdminGroups() == null ? List.of() : configuration.getAdminGroups();
    return groups.stream().anyMatch(adminGroups::contains)
        || (configuration.getAdminUsers() != null && configuration.getAdminUsers().contains(person.getUserId()));
  }

  private boolean canWork(Authentication person, String taskId) {
    return asTheService(() -> configuration.getAuthorizationService().isUserAuthorized(person.getUserId(),
        person.getGroupIds(), TaskPermissions.TASK_WORK, Resources.TASK, taskId));
  }

  private String processInstanceOf(String taskId) {
    if (taskId == null) {
      return null;
    }
    Task task = asTheService(() -> configuration.getTaskService().createTaskQuery().taskId(taskId).singleResult());
    return task == null ? null : task.getProcessInstanceId();
  }

  /** A look-up the guard makes for itself, not for the person: it must see what they cannot. */
  private <T> T asTheService(java.util.function.Supplier<T> lookUp) {
    Authentication caller = configuration.getIdentityService().getCurrentAuthentication();
    configuration.getIdentityService().clearAuthentication();
    try {
      return lookUp.get();
    } finally {
      configuration.getIdentityService().setAuthentication(caller);
    }
  }

  /** The refusal as the engine's REST layer answers it (403 or 400, its sentence as the message), recorded. */
  private RuntimeException answer(Refusal refusal, Authentication person) {
    String user = person == null ? null : person.getUserId();
    LOG.info("Refused {}: {}", user == null ? "the service" : user, refusal.getMessage());
    try {
      refusedActs.record(new RefusedActs.RefusedAct(Instant.now(), user, refusal.processInstanceId(), refusal.taskId(),
          refusal.activity(), refusal.kind().name(), refusal.getMessage()));
    } catch (RuntimeException e) {
      LOG.warn("Could not record the refusal above for the audit: {}", e.toString());
    }
    return refusal.answer();
  }

  private static void logLikeTheEngine(RuntimeException failure) {
    if (failure instanceof TaskAlreadyClaimedException || failure instanceof NullValueException
        || failure instanceof NotValidException || failure instanceof MismatchingMessageCorrelationException) {
      // The caller asked for something that is not there or not so: their answer says it, the log needs one line.
      LOG.info("Command failed: {}", failure.getMessage());
    } else if (failure instanceof OptimisticLockingException || failure instanceof BadUserRequestException
        || failure instanceof AuthorizationException) {
      LOG.debug("Command failed: {}", failure.getMessage(), failure);
    } else {
      LOG.error("Command failed: {}", failure.getMessage(), failure);
    }
  }

  private static String field(Command<?> command, String name) {
    for (Class<?> type = command.getClass(); type != null; type = type.getSuperclass()) {
      try {
        java.lang.reflect.Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        Object value = field.get(command);
        return value == null ? null : value.toString();
      } catch (NoSuchFieldException e) {
        // Look in the superclass.
      } catch (IllegalAccessException e) {
        return null;
      }
    }
    return null;
  }
}
