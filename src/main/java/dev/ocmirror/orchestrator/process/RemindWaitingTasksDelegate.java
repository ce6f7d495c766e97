package dev.ocmirror.orchestrator.process;

import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Raises the priority of the tasks a process waits on too long (an approval, a site report) and notes it on each,
 * where Tasklist shows it.
 */
@Component("remindWaitingTasks")
class RemindWaitingTasksDelegate implements JavaDelegate {

  private static final Logger LOG = LoggerFactory.getLogger(RemindWaitingTasksDelegate.class);
  private static final int REMINDED_PRIORITY = 75;

  private final TaskService tasks;

  RemindWaitingTasksDelegate(TaskService tasks) {
    this.tasks = tasks;
  }

  @Override
  public void execute(DelegateExecution execution) {
    for (Task task : tasks.createTaskQuery().processInstanceId(execution.getProcessInstanceId()).active().list()) {
      task.setPriority(Math.max(task.getPriority(), REMINDED_PRIORITY));
      tasks.saveTask(task);
      tasks.createComment(task.getId(), execution.getProcessInstanceId(), "Reminder: '" + task.getName()
          + "' has been waiting since " + task.getCreateTime() + ".");
      LOG.warn("Task '{}' of process instance {} has been waiting since {}", task.getName(),
          execution.getProcessInstanceId(), task.getCreateTime());
    }
  }
}
