package dev.ocmirror.orchestrator.process;

import static org.camunda.bpm.engine.delegate.TaskListener.EVENTNAME_ASSIGNMENT;
import static org.camunda.bpm.engine.delegate.TaskListener.EVENTNAME_COMPLETE;
import static org.camunda.bpm.engine.delegate.TaskListener.EVENTNAME_CREATE;
import static org.camunda.bpm.engine.delegate.TaskListener.EVENTNAME_DELETE;

import dev.ocmirror.orchestrator.access.EngineHardening;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.Processes;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.UserTasks;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.behavior.ExternalTaskActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.listener.DelegateExpressionExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.task.TaskDefinition;
import org.camunda.bpm.engine.impl.task.listener.DelegateExpressionTaskListener;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.spring.boot.starter.configuration.impl.AbstractCamundaConfiguration;
import org.springframework.stereotype.Component;

/**
 * What every model gets without declaring it, so that no model can forget it: the listeners that guard the user
 * tasks, the hint that wakes this node's worker for each oc-mirror task, and the one retry policy for every job (a
 * job that lost a concurrent update is tried again at once). The models declare only their own behaviour.
 */
@Component
public class ModelConventions extends AbstractCamundaConfiguration {

  /** A listener bean on the events of a user task. */
  record Attachment(String bean, List<String> events) {
  }

  /**
   * The listeners a user task gets, in the order they run for each event: every task's submitted values are checked
   * first, then its control (four eyes, custody) sees the accepted values.
   */
  static List<Attachment> listenersOf(String taskId) {
    List<Attachment> attachments = new ArrayList<>();
    attachments.add(new Attachment(SubmittedValues.BEAN, List.of(EVENTNAME_CREATE, EVENTNAME_DELETE, EVENTNAME_COMPLETE)));
    if (UserTasks.APPROVALS.contains(taskId)) {
      attachments.add(new Attachment(FourEyes.BEAN, List.of(EVENTNAME_CREATE, EVENTNAME_ASSIGNMENT, EVENTNAME_COMPLETE)));
    }
    if (UserTasks.SIGN_OFF_HANDOVER.equals(taskId)) {
      attachments.add(new Attachment(Custody.BEAN, List.of(EVENTNAME_COMPLETE)));
    }
    if (UserTasks.CONFIRM_RECEIPT.equals(taskId)) {
      attachments.add(new Attachment(Custody.BEAN, List.of(EVENTNAME_CREATE, EVENTNAME_ASSIGNMENT, EVENTNAME_COMPLETE)));
    }
    if (UserTasks.RECORD_SITE_REPORT.equals(taskId)) {
      attachments.add(new Attachment(SiteReportReceipt.BEAN, List.of(EVENTNAME_COMPLETE)));
    }
    return attachments;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    List<BpmnParseListener> listeners = new ArrayList<>();
    listeners.add(new UserTaskListeners());
    if (configuration.getCustomPreBPMNParseListeners() != null) {
      listeners.addAll(configuration.getCustomPreBPMNParseListeners());
    }
    configuration.setCustomPreBPMNParseListeners(listeners);
    configuration.setFailedJobRetryTimeCycle(RetryPolicy.timeCycle());
  }

  /**
   * The one failed-job factory of the engine, set after the starter's own failed-job configuration (which sets the
   * default factory in its preInit): a lost concurrent update tried again at once, a control's refusal an incident at
   * once, anything else by the retry policy.
   */
  @Override
  public void postInit(ProcessEngineConfigurationImpl configuration) {
    configuration.setFailedJobCommandFactory(new ConcurrentUpdateRetry(EngineHardening::refusedJobsFailAtOnce));
  }

  private static final class UserTaskListeners extends AbstractBpmnParseListener {

    @Override
    public void parseServiceTask(Element serviceTaskElement, ScopeImpl scope, ActivityImpl activity) {
      if (ours(activity) && activity.getActivityBehavior() instanceof ExternalTaskActivityBehavior) {
        activity.addListener(ExecutionListener.EVENTNAME_START, new DelegateExpressionExecutionListener(
            Context.getProcessEngineConfiguration().getExpressionManager().createExpression("${" + ExternalTaskHint.BEAN + "}"),
            List.of()));
      }
    }

    /** The product's models only: another deployed process keeps the listeners it declares. */
    private static boolean ours(ActivityImpl activity) {
      return activity.getProcessDefinition() instanceof org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity definition
          && definition.getKey() != null && Processes.ALL.contains(definition.getKey());
    }

    @Override
    public void parseUserTask(Element userTaskElement, ScopeImpl scope, ActivityImpl activity) {
      if (!ours(activity)) {
        return;
      }
      TaskDefinition task = ((UserTaskActivityBehavior) activity.getActivityBehavior()).getTaskDefinition();
      for (Attachment attachment : listenersOf(activity.getId())) {
        // Resolved when the event fires, like a listener the model declares: the bean is the application's.
        DelegateExpressionTaskListener listener = new DelegateExpressionTaskListener(Context.getProcessEngineConfiguration()
            .getExpressionManager().createExpression("${" + attachment.bean() + "}"), List.of());
        attachment.events().forEach(event -> task.addTaskListener(event, listener));
      }
    }
  }
}
