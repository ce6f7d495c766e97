package dev.ocmirror.orchestrator.process;

import dev.ocmirror.orchestrator.bpmn.ProcessContract.UserTasks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.camunda.bpm.engine.TaskService;
import org.springframework.stereotype.Component;

/**
 * What operations watch, exported at {@code /actuator/prometheus}: oc-mirror runs by step and verdict, bytes
 * ingested into the ledger, transfers staged and closed, and approvals waiting.
 */
@Component
public class LifecycleMetrics {

  private final MeterRegistry registry;

  public LifecycleMetrics(MeterRegistry registry, TaskService tasks) {
    this.registry = registry;
    Gauge.builder("ocmirror.approvals.waiting", tasks,
            service -> service.createTaskQuery().taskDefinitionKeyIn(UserTasks.APPROVALS.toArray(String[]::new)).count())
        .description("Approvals (reviewTransfer, approveRollback) waiting for a change manager")
        .register(registry);
  }

  void runFinished(String topic, String verdict) {
    Counter.builder("ocmirror.runs").description("oc-mirror runs finished, by step and how they ended")
        .tag("step", topic).tag("verdict", verdict).register(registry).increment();
  }

  void bytesIngested(long bytes) {
    Counter.builder("ocmirror.ledger.ingested").baseUnit("bytes").description("Archive bytes read and recorded in the ledger")
        .register(registry).increment(bytes);
  }

  void outcome(String process, String outcome) {
    Counter.builder("ocmirror.outcomes").description("Lifecycles and deliveries ended, by process and outcome"
            + " (DELIVERED, ROLLED_BACK, REJECTED, ABANDONED, FAILED)")
        .tag("process", process).tag("outcome", outcome).register(registry).increment();
  }

  void transfer(String state) {
    Counter.builder("ocmirror.transfers").description("Transfers by state reached (staged, imported)")
        .tag("state", state).register(registry).increment();
  }
}
