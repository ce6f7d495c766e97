package dev.ocmirror.orchestrator.audit;

import dev.ocmirror.orchestrator.ledger.ClusterApplies;
import dev.ocmirror.orchestrator.ledger.Generations;
import javax.sql.DataSource;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.TaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/** Wires the audit and seals ended lifecycles shortly after they end. */
@Configuration
@EnableScheduling
public class AuditConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(AuditConfiguration.class);

  @Bean
  AuditTrail auditTrail(HistoryService history, TaskService tasks, Generations generations, ClusterApplies applies,
      RefusedActs refusedActs,
      dev.ocmirror.orchestrator.control.ControlRecords custody) {
    return new AuditTrail(history, tasks, generations, applies, refusedActs, custody);
  }

  @Bean
  RefusedActs refusedActs(DataSource dataSource) {
    return new RefusedActs(dataSource);
  }

  @Bean
  AuditSeals auditSeals(DataSource dataSource, AuditTrail trail) {
    return new AuditSeals(dataSource, trail);
  }

  @Bean
  Sealer auditSealer(AuditSeals seals) {
    return new Sealer(seals);
  }

  public static class Sealer {

    private final AuditSeals seals;

    Sealer(AuditSeals seals) {
      this.seals = seals;
    }

    @Scheduled(fixedDelayString = "${orchestrator.audit.seal-interval:PT1M}", initialDelayString = "PT30S")
    public void sealEndedLifecycles() {
      try {
        int sealed = seals.sealPending();
        if (sealed > 0) {
          LOG.info("Sealed the audit records of {} ended lifecycle(s)", sealed);
        }
      } catch (RuntimeException e) {
        LOG.warn("Sealing audit records failed; the next round tries again: {}", e.toString());
      }
    }
  }
}
