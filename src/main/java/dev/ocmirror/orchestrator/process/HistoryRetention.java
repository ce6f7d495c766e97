package dev.ocmirror.orchestrator.process;

import java.time.Period;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps history as long as configured ({@code ORCHESTRATOR_HISTORY_TTL}). The models carry no time to live of their
 * own (it would override the configured one), so a new deployment takes the configured value; a changed
 * configuration with unchanged models is applied here, at start, to every deployed definition. Instances that
 * have already ended keep the removal time they were given when they ended.
 */
@Component
public class HistoryRetention {

  private static final Logger LOG = LoggerFactory.getLogger(HistoryRetention.class);

  private final ProcessEngine engine;

  public HistoryRetention(ProcessEngine engine) {
    this.engine = engine;
  }

  /** The configured time to live in days (an ISO-8601 period of days, or a plain number of days). */
  public int configuredDays() {
    String configured = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getHistoryTimeToLive();
    return configured.startsWith("P") ? Period.parse(configured).getDays() : Integer.parseInt(configured.trim());
  }

  @EventListener(ApplicationReadyEvent.class)
  public void applyToDeployedDefinitions() {
    int days = configuredDays();
    RepositoryService repository = engine.getRepositoryService();
    for (ProcessDefinition definition : repository.createProcessDefinitionQuery().list()) {
      if (definition.getHistoryTimeToLive() == null || definition.getHistoryTimeToLive() != days) {
        repository.updateProcessDefinitionHistoryTimeToLive(definition.getId(), days);
        LOG.info("History of {} (version {}) is now kept {} days, as configured", definition.getKey(),
            definition.getVersion(), days);
      }
    }
  }
}
