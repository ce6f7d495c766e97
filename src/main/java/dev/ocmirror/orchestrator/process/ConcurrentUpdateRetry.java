package dev.ocmirror.orchestrator.process;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.lang3.exception.ExceptionUtils;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.jobexecutor.FailedJobCommandFactory;
import org.camunda.bpm.engine.impl.jobexecutor.MessageAddedNotification;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;

/**
 * A job that lost a concurrent update (two deliveries of one lifecycle ending at the same moment both update their
 * parent) did nothing wrong: it is tried again at once, its retries untouched, instead of a minute later as a failure.
 * A job that keeps losing (a hundred times in a row) is handled as any failure, so that it cannot spin unseen.
 */
final class ConcurrentUpdateRetry implements FailedJobCommandFactory {

  /** Each loss is another job's win, so losses are bounded by the siblings that end together (one per enclave). */
  private static final int AT_ONCE = 100;

  private final FailedJobCommandFactory failure;
  private final Map<String, Integer> attempts = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
      return size() > 10_000;
    }
  });

  /** @param failure how any other failure is handled (the retry policy; a control's refusal at once) */
  ConcurrentUpdateRetry(FailedJobCommandFactory failure) {
    this.failure = failure;
  }

  @Override
  public Command<Object> getCommand(String jobId, Throwable exception) {
    boolean concurrentUpdate = ExceptionUtils.indexOfType(exception, OptimisticLockingException.class) >= 0;
    if (!concurrentUpdate || attempts.merge(jobId, 1, Integer::sum) > AT_ONCE) {
      attempts.remove(jobId);
      return failure.getCommand(jobId, exception);
    }
    return commandContext -> {
      JobEntity job = commandContext.getJobManager().findJobById(jobId);
      if (job != null) {
        job.setLockOwner(null);
        job.setLockExpirationTime(null);
        commandContext.getTransactionContext().addTransactionListener(TransactionState.COMMITTED,
            new MessageAddedNotification(commandContext.getProcessEngineConfiguration().getJobExecutor()));
      }
      return null;
    };
  }
}
