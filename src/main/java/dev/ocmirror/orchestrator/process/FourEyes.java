package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.APPROVED;
import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.APPROVER;
import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.ENCLAVE;
import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.GENERATION;
import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.LINEAGE;
import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.REVIEW_COMMENT;
import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.TRANSFER_ID;

import dev.ocmirror.orchestrator.bpmn.ProcessContract.UserTasks;
import dev.ocmirror.orchestrator.access.AccessGroups;
import dev.ocmirror.orchestrator.access.Refusal;
import dev.ocmirror.orchestrator.control.ControlRecords;
import dev.ocmirror.orchestrator.control.Controls;
import dev.ocmirror.orchestrator.ledger.Transfer;
import dev.ocmirror.orchestrator.ledger.TransferState;
import dev.ocmirror.orchestrator.ledger.Transfers;
import java.time.Instant;
import java.util.List;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * Whoever requested a transfer or rollback can neither claim nor complete its approval. The requester is the one
 * the service recorded when the lifecycle started (never a process variable, which others may write). On create,
 * a revoke authorization hides the task from them, so Tasklist does not even offer it; on assignment and
 * complete, this listener refuses, whatever the authorizations say. A completion is recorded as an approval row:
 * who decided, when, and for which plan, which is what staging and the rollback check before they act.
 */
@Component(FourEyes.BEAN)
public class FourEyes implements TaskListener {

  static final String BEAN = "fourEyes";


  private final AuthorizationService authorizations;
  private final Controls controls;
  private final Transfers transfers;

  public FourEyes(AuthorizationService authorizations, Controls controls, Transfers transfers) {
    this.authorizations = authorizations;
    this.controls = controls;
    this.transfers = transfers;
  }

  @Override
  public void notify(DelegateTask task) {
    String requester = controls.requestOf(Lifecycles.rootOf(task)).requestedBy();
    switch (task.getEventName()) {
      case EVENTNAME_CREATE -> TaskVisibility.hideFrom(authorizations, requester, task);
      case EVENTNAME_ASSIGNMENT -> {
        if (requester != null && requester.equals(task.getAssignee())) {
          throw refusal(task, ownRequest(task));
        }
      }
      case EVENTNAME_COMPLETE -> decide(task, requester);
      default -> {
      }
    }
  }

  private void decide(DelegateTask task, String requester) {
    Authentication person = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    if (person == null || person.getUserId() == null) {
      throw refusal(task, "An approval must be completed by a signed-in change manager.");
    }
    if (person.getUserId().equals(requester)) {
      throw refusal(task, ownRequest(task));
    }
    List<String> groups = person.getGroupIds() == null ? List.of() : person.getGroupIds();
    if (!groups.contains(AccessGroups.CHANGE_MANAGERS)) {
      throw refusal(task, "Only a member of change-managers may decide on this approval.");
    }
    String subject;
    String digest;
    if (UserTasks.REVIEW_TRANSFER.equals(task.getTaskDefinitionKey())) {
      subject = (String) task.getVariable(TRANSFER_ID);
      Transfer transfer = transfers.find(subject == null ? "" : subject)
          .filter(planned -> Lifecycles.rootOf(task).equals(planned.lifecycleId()))
          .orElseThrow(() -> refusal(task, "This review names no transfer planned for its lifecycle, so it cannot be decided."));
      digest = Controls.planDigest(transfer);
    } else if (UserTasks.REVIEW_IMPORT.equals(task.getTaskDefinitionKey())) {
      subject = (String) task.getVariable(TRANSFER_ID);
      Transfer transfer = transfers.find(subject == null ? "" : subject)
          .filter(received -> Lifecycles.rootOf(task).equals(received.lifecycleId()))
          .orElseThrow(() -> refusal(task, "This review names no media received by its lifecycle, so it cannot be decided."));
      digest = Controls.stationImportDigest(transfer);
    } else {
      subject = task.getProcessInstanceId();
      digest = Controls.rollbackDigest(subject, (String) task.getVariable(ENCLAVE), (String) task.getVariable(LINEAGE),
          (Integer) task.getVariable(GENERATION));
    }
    boolean approved = Boolean.TRUE.equals(task.getVariable(APPROVED));
    controls.records().recordApproval(new ControlRecords.Approval(subject, digest, approved, person.getUserId(),
        Instant.now(), (String) task.getVariable(REVIEW_COMMENT), task.getId()));
    if (!UserTasks.APPROVE_ROLLBACK.equals(task.getTaskDefinitionKey()) && !approved) {
      transfers.moveTo(subject, TransferState.REJECTED);
    }
    task.setVariable(APPROVER, person.getUserId());
  }

  private static String ownRequest(DelegateTask task) {
    return switch (task.getTaskDefinitionKey()) {
      case UserTasks.REVIEW_TRANSFER -> "You requested this transfer, so another change manager must approve it.";
      case UserTasks.REVIEW_IMPORT -> "You received these media, so another change manager must approve their import.";
      default -> "You requested this rollback, so another change manager must approve it.";
    };
  }

  static Refusal refusal(DelegateTask task, String sentence) {
    return new Refusal(Refusal.Kind.NOT_ALLOWED, sentence, task.getProcessInstanceId(), task.getId(),
        task.getTaskDefinitionKey());
  }
}
