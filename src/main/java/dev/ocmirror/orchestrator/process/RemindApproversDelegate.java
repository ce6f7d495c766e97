package dev.ocmirror.orchestrator.process;

import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Raises the waiting approval's priority and notes it on the task, where Tasklist shows it. */
@Component("remindApprovers")
class RemindApproversDelegate implements JavaDelegate {

  private static final Logger LOG = LoggerFactory.getLogger(RemindApproversDelegate.class);
  private static final int REMINDED_PRIORITY = 75;

  private final TaskService tasks;

  RemindApproversDelegate(TaskService tasks) {
    this.tasks = tasks;
  }

  @Override
  public void execute(DelegateExecution execution) {
    for (Task task : tasks.createTaskQuery().processInstanceId(execution.getProcessInstanceId()).active().list()) {
      task.setPriority(Math.max(task.getPriority(), REMINDED_PRIORITY));
      tasks.saveTask(task);
      tasks.createComment(task.getId(), execution.getProcessInstanceId(), "Reminder: this approval has been waiting since "
          + task.getCreateTime() + ".");
      LOG.warn("Approval '{}' of process instance {} has been waiting since {}", task.getName(),
          execution.getProcessInstanceId(), task.getCreateTime());
    }
  }
}
