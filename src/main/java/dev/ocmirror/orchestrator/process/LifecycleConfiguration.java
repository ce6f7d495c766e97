package dev.ocmirror.orchestrator.process;

import dev.ocmirror.orchestrator.airgap.AcceptSiteReport;
import dev.ocmirror.orchestrator.airgap.CheckPrerequisites;
import dev.ocmirror.orchestrator.airgap.ReceiveMedia;
import dev.ocmirror.orchestrator.airgap.RecordCarriedGenerations;
import dev.ocmirror.orchestrator.airgap.WriteSiteReport;
import dev.ocmirror.orchestrator.airgap.SiteReports;
import dev.ocmirror.orchestrator.control.ControlRecords;
import dev.ocmirror.orchestrator.control.Controls;
import dev.ocmirror.orchestrator.ledger.ClusterApplies;
import dev.ocmirror.orchestrator.ledger.Enclaves;
import dev.ocmirror.orchestrator.ledger.Generations;
import dev.ocmirror.orchestrator.ledger.SiteReportRecords;
import dev.ocmirror.orchestrator.ledger.Transfers;
import dev.ocmirror.orchestrator.progress.RunProgressRecords;
import dev.ocmirror.orchestrator.lifecycle.ApplyClusterResources;
import dev.ocmirror.orchestrator.lifecycle.CheckRegistry;
import dev.ocmirror.orchestrator.lifecycle.CloseTransfer;
import dev.ocmirror.orchestrator.lifecycle.Hosts;
import dev.ocmirror.orchestrator.lifecycle.ImportGeneration;
import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import dev.ocmirror.orchestrator.lifecycle.PlanRollback;
import dev.ocmirror.orchestrator.lifecycle.PlanTransfer;
import dev.ocmirror.orchestrator.lifecycle.PrepareConfiguration;
import dev.ocmirror.orchestrator.lifecycle.RecordGeneration;
import dev.ocmirror.orchestrator.lifecycle.StageMedia;
import dev.ocmirror.orchestrator.lifecycle.VerifyReceipt;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Wires the ledger and the lifecycle's steps; they know nothing of Spring or Camunda. Bean names end in "Step" so
 * that they never meet the delegates', which the models name after the same actions.
 */
@Configuration
public class LifecycleConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(LifecycleConfiguration.class);

  @Bean
  Generations generations(DataSource dataSource) {
    return new Generations(dataSource);
  }

  @Bean
  Enclaves enclaves(DataSource dataSource) {
    return new Enclaves(dataSource);
  }

  @Bean
  Transfers transfers(DataSource dataSource) {
    return new Transfers(dataSource);
  }

  @Bean
  ClusterApplies clusterApplies(DataSource dataSource) {
    return new ClusterApplies(dataSource);
  }

  @Bean
  SiteReportRecords siteReportRecords(DataSource dataSource) {
    return new SiteReportRecords(dataSource);
  }

  @Bean
  RunProgressRecords runProgressRecords(DataSource dataSource) {
    return new RunProgressRecords(dataSource);
  }

  @Bean
  ControlRecords controlRecords(DataSource dataSource) {
    return new ControlRecords(dataSource);
  }

  @Bean
  Controls controls(ControlRecords records, Enclaves enclaves) {
    return new Controls(records, enclaves);
  }

  @Bean
  Hosts hosts(LifecycleProperties properties, Environment environment) {
    if (environment.containsProperty("orchestrator.mirror.auth-file")) {
      // Ignored silently, it would leave oc-mirror without the site's registry credentials.
      throw new IllegalStateException("orchestrator.mirror.auth-file has moved to orchestrator.mirror.flags.authfile");
    }
    checked(properties);
    return Hosts.asConfigured();
  }

  @Bean
  PrepareConfiguration prepareConfigurationStep(LifecycleProperties properties, Generations generations, Enclaves enclaves) {
    return new PrepareConfiguration(properties, generations, enclaves);
  }

  @Bean
  RecordGeneration recordGenerationStep(LifecycleProperties properties, Hosts hosts, Generations generations,
      Enclaves enclaves) {
    return new RecordGeneration(properties, hosts, generations, enclaves);
  }

  @Bean
  PlanTransfer planTransferStep(LifecycleProperties properties, Hosts hosts, Generations generations, Enclaves enclaves,
      Transfers transfers, SiteReportRecords reports, Controls controls) {
    return new PlanTransfer(properties, hosts, generations, enclaves, transfers, reports, controls);
  }

  @Bean
  StageMedia stageMediaStep(LifecycleProperties properties, Hosts hosts, Generations generations, Transfers transfers,
      Controls controls) {
    return new StageMedia(properties, hosts, generations, transfers, controls);
  }

  @Bean
  VerifyReceipt verifyReceiptStep(LifecycleProperties properties, Hosts hosts, Transfers transfers, Controls controls) {
    return new VerifyReceipt(properties, hosts, transfers, controls);
  }

  @Bean
  ImportGeneration importGenerationStep(LifecycleProperties properties, Hosts hosts, Generations generations,
      Enclaves enclaves, Transfers transfers, Controls controls, CheckPrerequisites prerequisites) {
    return new ImportGeneration(properties, hosts, generations, enclaves, transfers, controls, prerequisites);
  }

  @Bean
  CheckRegistry checkRegistryStep(LifecycleProperties properties, Generations generations) {
    return new CheckRegistry(properties, generations);
  }

  @Bean
  ApplyClusterResources applyClusterResourcesStep(LifecycleProperties properties, Hosts hosts, ClusterApplies applies,
      Controls controls) {
    return new ApplyClusterResources(properties, hosts, applies, controls);
  }

  @Bean
  CloseTransfer closeTransferStep(Transfers transfers, Controls controls) {
    return new CloseTransfer(transfers, controls);
  }

  @Bean
  SiteReports siteReports(LifecycleProperties properties, Generations generations, Enclaves enclaves,
      SiteReportRecords records, Transfers transfers) {
    return new SiteReports(properties, generations, enclaves, records, transfers);
  }

  @Bean
  AcceptSiteReport acceptSiteReportStep(Transfers transfers, SiteReportRecords records) {
    return new AcceptSiteReport(transfers, records);
  }

  @Bean
  ReceiveMedia receiveMediaStep(LifecycleProperties properties, Hosts hosts, Generations generations, Transfers transfers,
      Controls controls) {
    return new ReceiveMedia(properties, hosts, generations, transfers, controls);
  }

  @Bean
  CheckPrerequisites checkPrerequisitesStep(LifecycleProperties properties, Hosts hosts, Generations generations,
      Enclaves enclaves, Transfers transfers) {
    return new CheckPrerequisites(properties, hosts, generations, enclaves, transfers);
  }

  @Bean
  RecordCarriedGenerations recordCarriedGenerationsStep(LifecycleProperties properties, Hosts hosts, Generations generations,
      Transfers transfers) {
    return new RecordCarriedGenerations(properties, hosts, generations, transfers);
  }

  @Bean
  WriteSiteReport writeSiteReportStep(LifecycleProperties properties, Hosts hosts, Generations generations,
      Enclaves enclaves, Transfers transfers, ClusterApplies applies, SiteReportRecords reports) {
    return new WriteSiteReport(properties, hosts, generations, enclaves, transfers, applies, reports);
  }

  @Bean
  PlanRollback planRollbackStep(LifecycleProperties properties, ClusterApplies applies) {
    return new PlanRollback(properties, applies);
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
