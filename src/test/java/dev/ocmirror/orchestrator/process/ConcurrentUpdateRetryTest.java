package dev.ocmirror.orchestrator.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.cmd.DefaultJobRetryCmd;
import org.junit.jupiter.api.Test;

class ConcurrentUpdateRetryTest {

  private final ConcurrentUpdateRetry retry = new ConcurrentUpdateRetry(
      dev.ocmirror.orchestrator.access.EngineHardening::refusedJobsFailAtOnce);

  @Test
  void aLostConcurrentUpdateIsTriedAgainAtOnceAndAnyOtherFailureByTheRetryPolicy() {
    assertThat(retry.getCommand("job-1", new ProcessEngineException("wrapped", new OptimisticLockingException("lost"))))
        .isNotInstanceOf(DefaultJobRetryCmd.class);
    assertThat(retry.getCommand("job-1", new IllegalStateException("the registry did not answer")))
        .isInstanceOf(DefaultJobRetryCmd.class);
  }

  @Test
  void aJobThatKeepsLosingBecomesAFailureAfterAHundredImmediateTries() {
    for (int i = 0; i < 100; i++) {
      assertThat(retry.getCommand("job-2", new OptimisticLockingException("lost"))).isNotInstanceOf(DefaultJobRetryCmd.class);
    }
    assertThat(retry.getCommand("job-2", new OptimisticLockingException("lost"))).isInstanceOf(DefaultJobRetryCmd.class);
  }
}
