package dev.ocmirror.orchestrator.process;

import dev.ocmirror.orchestrator.control.ControlRecords;
import dev.ocmirror.orchestrator.control.Controls;
import dev.ocmirror.orchestrator.ledger.LedgerRepository;
import dev.ocmirror.orchestrator.lifecycle.DeliverySteps;
import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import dev.ocmirror.orchestrator.lifecycle.MirrorSteps;
import dev.ocmirror.orchestrator.lifecycle.RollbackSteps;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the lifecycle's domain services; they know nothing of Spring or Camunda. */
@Configuration
public class LifecycleConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(LifecycleConfiguration.class);

  @Bean
  LedgerRepository ledgerRepository(DataSource dataSource) {
    return new LedgerRepository(dataSource);
  }

  @Bean
  MirrorSteps mirrorSteps(LifecycleProperties properties, LedgerRepository ledger) {
    checked(properties);
    return new MirrorSteps(properties, ledger);
  }

  @Bean
  ControlRecords controlRecords(DataSource dataSource) {
    return new ControlRecords(dataSource);
  }

  @Bean
  Controls controls(ControlRecords records, LedgerRepository ledger) {
    return new Controls(records, ledger);
  }

  @Bean
  DeliverySteps deliverySteps(LifecycleProperties properties, LedgerRepository ledger, Controls controls) {
    return new DeliverySteps(properties, ledger, controls);
  }

  @Bean
  RollbackSteps rollbackSteps(LifecycleProperties properties, LedgerRepository ledger) {
    return new RollbackSteps(properties, ledger);
  }

  /**
   * A half-configured lifecycle stops the service with every problem named; an unconfigured one only warns, so
   * that the webapps and the ledger can be looked at before the hosts exist.
   */
  private static void checked(LifecycleProperties properties) {
    List<String> problems = properties.problems();
    if (problems.isEmpty()) {
      return;
    }
    if (properties.mirror().host() == null && properties.enclaves().isEmpty()) {
      LOG.warn("The lifecycle is not configured (orchestrator.mirror, orchestrator.enclaves): every lifecycle will stop at"
          + " its first step. See the README.");
      return;
    }
    throw new IllegalStateException("The lifecycle configuration has " + problems.size() + " problem(s):\n  - "
        + String.join("\n  - ", problems));
  }
}
