package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.COURIER;
import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.ENCLAVE;
import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.MEDIA_ID;
import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.SEAL_INTACT;
import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.SEAL_NUMBER;
import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.TRANSFER_ID;

import dev.ocmirror.orchestrator.bpmn.ProcessContract.UserTasks;
import dev.ocmirror.orchestrator.access.AccessGroups;
import dev.ocmirror.orchestrator.access.Refusal;
import dev.ocmirror.orchestrator.control.ControlRecords;
import dev.ocmirror.orchestrator.ledger.Transfer;
import dev.ocmirror.orchestrator.ledger.Transfers;
import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import java.time.Instant;
import java.util.Optional;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * The custody chain of a transfer's media, recorded by the service as people sign it: who handed the media over
 * (media id, seal, courier) and who confirmed their receipt. The operator who handed the media over neither sees
 * nor can confirm their receipt, unless the enclave is configured to allow it. Runs after {@link SubmittedValues}
 * has accepted the values.
 */
@Component(Custody.BEAN)
public class Custody implements TaskListener {

  static final String BEAN = "custody";


  private final AuthorizationService authorizations;
  private final ControlRecords records;
  private final Transfers transfers;
  private final LifecycleProperties properties;

  public Custody(AuthorizationService authorizations, ControlRecords records, Transfers transfers,
      LifecycleProperties properties) {
    this.authorizations = authorizations;
    this.records = records;
    this.transfers = transfers;
    this.properties = properties;
  }

  @Override
  public void notify(DelegateTask task) {
    String transferId = (String) task.getVariable(TRANSFER_ID);
    if (UserTasks.SIGN_OFF_HANDOVER.equals(task.getTaskDefinitionKey())) {
      if (EVENTNAME_COMPLETE.equals(task.getEventName())) {
        String manifest = transfers.find(transferId).map(Transfer::manifestSha256).orElse(null);
        records.recordHandover(new ControlRecords.Handover(transferId, operator(task), Instant.now(),
            (String) task.getVariable(MEDIA_ID), (String) task.getVariable(SEAL_NUMBER), (String) task.getVariable(COURIER),
            manifest));
        // The receiver must read these off the media: they stay in the service's record, not where the receipt's
        // form (or anyone reading the instance) would show them.
        task.getExecution().removeVariable(MEDIA_ID);
        task.getExecution().removeVariable(SEAL_NUMBER);
      }
      return;
    }
    Optional<String> sender = senderWhoMayNotReceive(task, transferId);
    switch (task.getEventName()) {
      case EVENTNAME_CREATE -> sender.ifPresent(user -> TaskVisibility.hideFrom(authorizations, user, task));
      case EVENTNAME_ASSIGNMENT -> {
        if (sender.isPresent() && sender.get().equals(task.getAssignee())) {
          throw ownHandover(task);
        }
      }
      case EVENTNAME_COMPLETE -> {
        String user = operator(task);
        if (sender.isPresent() && sender.get().equals(user)) {
          throw ownHandover(task);
        }
        boolean intact = Boolean.TRUE.equals(task.getVariable(SEAL_INTACT));
        records.recordCustody(new ControlRecords.CustodyEvent(transferId, intact ? ControlRecords.CustodyKind.RECEIVED
            : ControlRecords.CustodyKind.SEAL_BROKEN, user, Instant.now(), null, intact
            ? "media id and seal number match the handover; seal intact" : "seal reported broken"));
      }
      default -> {
      }
    }
  }

  private Optional<String> senderWhoMayNotReceive(DelegateTask task, String transferId) {
    boolean allowed = properties.findEnclave((String) task.getVariable(ENCLAVE))
        .map(LifecycleProperties.Enclave::senderMayConfirmReceipt).orElse(false);
    return allowed ? Optional.empty() : records.handedOverBy(transferId == null ? "" : transferId);
  }

  /** Whoever signs custody is a signed-in member of operators, whoever claimed the task for them. */
  private static String operator(DelegateTask task) {
    Authentication person = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    if (person == null || person.getUserId() == null || person.getGroupIds() == null
        || !person.getGroupIds().contains(AccessGroups.OPERATORS)) {
      throw new Refusal(Refusal.Kind.NOT_ALLOWED, "The custody of media is signed by a signed-in operator.",
          task.getProcessInstanceId(), task.getId(), task.getTaskDefinitionKey());
    }
    return person.getUserId();
  }

  private static Refusal ownHandover(DelegateTask task) {
    return new Refusal(Refusal.Kind.NOT_ALLOWED, "You handed these media over, so another operator must confirm their "
        + "receipt.", task.getProcessInstanceId(), task.getId(), task.getTaskDefinitionKey());
  }
}
