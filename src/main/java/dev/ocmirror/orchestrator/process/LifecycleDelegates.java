package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.process.ProcessVariables.*;

import dev.ocmirror.orchestrator.control.ControlRefused;
import dev.ocmirror.orchestrator.lifecycle.DecisionNeeded;
import dev.ocmirror.orchestrator.lifecycle.DeliverySteps;
import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import dev.ocmirror.orchestrator.lifecycle.MirrorSteps;
import dev.ocmirror.orchestrator.lifecycle.RollbackSteps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The service tasks of the process models, each a thin adapter: read variables, call one domain step, write
 * its result. A {@link DecisionNeeded} becomes a BPMN error with its reason as code, so that the model leads to
 * a person; any other exception rolls back and retries, and ends as an incident.
 */
@Configuration
public class LifecycleDelegates {

  private static final Logger LOG = LoggerFactory.getLogger(LifecycleDelegates.class);
  /** Details beyond this keep their end, where oc-mirror writes its verdict; far above a real failure's. */
  static final int MAX_DETAILS = 4 * 1024 * 1024;

  @FunctionalInterface
  interface Step {
    void run(DelegateExecution execution) throws Exception;
  }

  static JavaDelegate step(Step step) {
    return execution -> {
      try {
        step.run(execution);
      } catch (DecisionNeeded decision) {
        execution.setVariable(FAILURE_REASON, decision.reason().name());
        execution.setVariable(FAILURE_SUMMARY, decision.getMessage());
        execution.setVariable(FAILURE_DETAILS, truncated(decision.details()));
        throw new BpmnError(decision.reason().name(), decision.getMessage());
      }
    };
  }

  static String truncated(String text) {
    return text.length() <= MAX_DETAILS ? text : "..." + text.substring(text.length() - MAX_DETAILS);
  }

  @Bean
  JavaDelegate prepareConfiguration(MirrorSteps mirror) {
    return step(execution -> {
      // Checked again here: a lifecycle restarted past its start event never met the start's check.
      StartValues.otherMirrorRun(execution).ifPresent(running -> {
        throw new ControlRefused("Not building a generation: " + running + ".");
      });
      boolean baseline = Boolean.TRUE.equals(execution.getVariable(BASELINE));
      MirrorSteps.Prepared prepared = mirror.prepare((String) execution.getVariable(IMAGESET_CONFIG), baseline);
      execution.setVariable(LINEAGE, prepared.lineage());
      execution.setVariable(GENERATION, prepared.generation());
      execution.setVariable(CONFIG_DIGEST, prepared.configDigest());
      execution.setVariable(CONFIG_DIFF, prepared.diffSummary());
    });
  }

  @Bean
  JavaDelegate recordGeneration(MirrorSteps mirror, LifecycleMetrics metrics) {
    return step(execution -> {
      MirrorSteps.Recorded recorded = mirror.record((String) execution.getVariable(LINEAGE),
          (Integer) execution.getVariable(GENERATION), (String) execution.getVariable(IMAGESET_CONFIG),
          (String) execution.getVariable("ocMirrorVersion"), (String) execution.getVariable(REQUESTED_BY));
      execution.setVariable("archiveCount", recorded.archives());
      execution.setVariable("archiveBytes", recorded.bytes());
      metrics.bytesIngested(recorded.bytes());
      execution.setVariable("imageCount", recorded.images());
      execution.setVariable("newBlobCount", recorded.blobs());
      if (!recorded.deletedByRetention().isEmpty()) {
        LOG.info("Retention deleted the archives of generation(s) {} of lineage {}", recorded.deletedByRetention(),
            execution.getVariable(LINEAGE));
      }
    });
  }

  @Bean
  JavaDelegate planTransfer(DeliverySteps delivery) {
    return step(execution -> {
      DeliverySteps.Planned plan = delivery.plan((String) execution.getVariable(ENCLAVE), (String) execution.getVariable(LINEAGE),
          (Integer) execution.getVariable(GENERATION), Lifecycles.rootOf(execution));
      execution.setVariable(TRANSFER_ID, plan.transferId());
      execution.setVariable(PLAN_PROVABLE, plan.provable());
      execution.setVariable(CARRY_GENERATIONS, String.join(",", plan.generations().stream().map(String::valueOf).toList()));
      execution.setVariable("transferBytes", plan.bytes());
      execution.setVariable(TRANSFER_SUMMARY, plan.summary());
    });
  }

  @Bean
  JavaDelegate stageMedia(DeliverySteps delivery, LifecycleMetrics metrics) {
    return step(execution -> {
      DeliverySteps.Staged staged = delivery.stage((String) execution.getVariable(TRANSFER_ID));
      execution.setVariable("mediaDirectory", staged.mediaDirectory());
      execution.setVariable("manifestSha256", staged.manifestSha256());
      execution.setVariable("stagedFiles", staged.files());
      metrics.transfer("staged");
    });
  }

  @Bean
  JavaDelegate verifyReceipt(DeliverySteps delivery) {
    return step(execution -> {
      if (!Boolean.TRUE.equals(execution.getVariable(SEAL_INTACT))) {
        throw new DecisionNeeded(DecisionNeeded.Reason.MEDIA_REJECTED, "The seal of the media of transfer " + execution.getVariable(TRANSFER_ID)
            + " was reported broken at receipt; nothing was imported", "Reported by the operator who confirmed receipt.");
      }
      DeliverySteps.Received received = delivery.verifyReceipt((String) execution.getVariable(TRANSFER_ID));
      execution.setVariable("verifiedFiles", received.files());
      execution.setVariable("verifiedBytes", received.bytes());
    });
  }

  @Bean
  JavaDelegate verifyRegistry(DeliverySteps delivery) {
    return step(execution -> execution.setVariable("imagesVerified", registryCheck(delivery, execution, true).images()));
  }

  private static DeliverySteps.RegistryCheck registryCheck(DeliverySteps delivery, DelegateExecution execution,
      boolean failWhenMissing) {
    return delivery.verifyRegistry((String) execution.getVariable(ENCLAVE), (String) execution.getVariable(LINEAGE),
        (Integer) execution.getVariable(GENERATION), failWhenMissing);
  }

  @Bean
  JavaDelegate applyClusterResources(DeliverySteps delivery) {
    return apply(delivery, false);
  }

  @Bean
  JavaDelegate closeTransfer(DeliverySteps delivery, LifecycleMetrics metrics) {
    return step(execution -> {
      delivery.close((String) execution.getVariable(TRANSFER_ID));
      metrics.transfer("imported");
    });
  }

  @Bean
  JavaDelegate planRollback(RollbackSteps rollback, DeliverySteps delivery) {
    return step(execution -> {
      RollbackSteps.RollbackPlan plan = rollback.plan((String) execution.getVariable(ENCLAVE));
      execution.setVariable(LINEAGE, plan.lineage());
      execution.setVariable("fromGeneration", plan.fromGeneration());
      execution.setVariable(GENERATION, plan.toGeneration());
      execution.setVariable("importGeneration", plan.toGeneration());
      execution.setVariable("rollbackSummary", plan.summary());
    });
  }

  @Bean
  JavaDelegate checkRollbackContent(DeliverySteps delivery) {
    return step(execution -> {
      DeliverySteps.RegistryCheck check = registryCheck(delivery, execution, false);
      execution.setVariable("reimportNeeded", !check.problems().isEmpty());
      execution.setVariable("missingImages", String.join("\n", check.problems()));
    });
  }

  @Bean
  JavaDelegate applyRollback(DeliverySteps delivery) {
    return apply(delivery, true);
  }

  private static JavaDelegate apply(DeliverySteps delivery, boolean rollback) {
    return step(execution -> execution.setVariable("clustersApplied", String.join("\n",
        delivery.applyClusterResources((String) execution.getVariable(ENCLAVE), (String) execution.getVariable(LINEAGE),
            (Integer) execution.getVariable(GENERATION), execution.getProcessInstanceId(), rollback))));
  }

  /** Raises the waiting approval's priority and notes it on the task, where Tasklist shows it. */
  @Bean
  JavaDelegate remindApprovers(TaskService tasks) {
    return execution -> {
      for (Task task : tasks.createTaskQuery().processInstanceId(execution.getProcessInstanceId()).active().list()) {
        task.setPriority(Math.max(task.getPriority(), 75));
        tasks.saveTask(task);
        tasks.createComment(task.getId(), execution.getProcessInstanceId(), "Reminder: this approval has been waiting since "
            + task.getCreateTime() + ".");
        LOG.warn("Approval '{}' of process instance {} has been waiting since {}", task.getName(),
            execution.getProcessInstanceId(), task.getCreateTime());
      }
    };
  }

  /** The enclaves a lifecycle delivers to: those named at start (comma-separated), else every configured one. */
  @Bean
  EnclaveSelection enclaveSelection(LifecycleProperties properties) {
    return new EnclaveSelection(properties);
  }

  public static final class EnclaveSelection {

    private final LifecycleProperties properties;

    EnclaveSelection(LifecycleProperties properties) {
      this.properties = properties;
    }

    public List<String> of(DelegateExecution execution) {
      Object requested = execution.getVariable(ENCLAVES);
      if (requested == null || requested.toString().isBlank()) {
        return properties.enclaveNames();
      }
      List<String> names = new ArrayList<>();
      for (String name : requested.toString().split(",")) {
        String trimmed = name.trim();
        if (trimmed.isEmpty()) {
          continue;
        }
        properties.enclave(trimmed);
        if (!names.contains(trimmed)) {
          names.add(trimmed);
        }
      }
      return names;
    }

    /** The generations of a transfer, in import order. */
    public List<Integer> generations(String carried) {
      return Arrays.stream(carried.split(",")).map(String::trim).map(Integer::valueOf).toList();
    }

    /** The time cycle of the scheduled update (cron or ISO-8601). */
    public String updateSchedule() {
      return properties.update().schedule();
    }

    /** ISO-8601 duration for the approval reminder timer. */
    public String reminderAfter() {
      return properties.approval().reminderAfter().toString();
    }
  }
}
