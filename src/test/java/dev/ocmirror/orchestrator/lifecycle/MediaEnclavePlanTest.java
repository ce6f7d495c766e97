package dev.ocmirror.orchestrator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocmirror.orchestrator.airgap.SiteReport;
import dev.ocmirror.orchestrator.airgap.SiteReportText;
import dev.ocmirror.orchestrator.airgap.SiteReports;
import dev.ocmirror.orchestrator.ledger.BlobSets;
import dev.ocmirror.orchestrator.ledger.Transfer;
import dev.ocmirror.orchestrator.ledger.TransferState;
import dev.ocmirror.orchestrator.transfer.ManifestSignature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans for an enclave reached only by media: proven from the station's last site report, assumed (and said so)
 * when none came back since the last transfer, and counting nothing of a cache the report says lost content.
 */
class MediaEnclavePlanTest {

  @TempDir
  Path dir;
  StepBench bench;
  String lineage;
  List<Set<String>> archived;
  KeyPair station;
  PlanTransfer plan;
  SiteReports reports;
  long reportNumber;

  @BeforeEach
  void threeMonthsAndAMediaEnclave() throws Exception {
    bench = new StepBench(dir);
    lineage = UUID.randomUUID().toString();
    archived = bench.mirrorMonths(lineage, 3);
    station = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path stationKey = Files.writeString(dir.resolve("station.pub"),
        ManifestSignature.encodePem("PUBLIC KEY", station.getPublic().getEncoded()));
    List<LifecycleProperties.Enclave> enclaves = new ArrayList<>(bench.properties.enclaves());
    enclaves.add(new LifecycleProperties.Enclave("island", null, null, null, null, null, null, null, null, null, null, null,
        null, LifecycleProperties.Reach.MEDIA, stationKey));
    LifecycleProperties properties = new LifecycleProperties(bench.properties.mirror(), bench.properties.media(),
        bench.properties.signing(), bench.properties.approval(), bench.properties.worker(), bench.properties.update(), enclaves);
    plan = new PlanTransfer(properties, bench.hosts, bench.generations, bench.enclaves, bench.transfers, bench.reports,
        bench.controls);
    reports = new SiteReports(properties, bench.generations, bench.enclaves, bench.reports, bench.transfers);
  }

  private PlanTransfer.Planned planMonth(int generation) {
    return plan.plan("island", lineage, generation, bench.lifecycle(StepBench.REQUESTER));
  }

  /** The station's report after importing generations 1..{@code upTo}, answering the given transfer. */
  private void report(int upTo, Transfer answered, boolean cacheComplete) {
    Set<String> blobs = new HashSet<>();
    List<SiteReport.ImportedGeneration> imported = new ArrayList<>();
    for (int generation = 1; generation <= upTo; generation++) {
      blobs.addAll(archived.get(generation - 1));
      imported.add(new SiteReport.ImportedGeneration(generation, Instant.now()));
    }
    if (!cacheComplete) {
      blobs.remove(blobs.iterator().next());
    }
    SiteReport report = new SiteReport(SiteReport.SCHEMA_VERSION, "island", ++reportNumber, Instant.now(), lineage, imported,
        BlobSets.digest(blobs), cacheComplete, cacheComplete ? 0 : 1, List.of(), new SiteReport.Acknowledgement(answered.id(),
            answered.sequence(), SiteReport.TransferOutcome.IMPORTED, null));
    reports.record("island", SiteReportText.write(report, station.getPrivate()), "olivia");
  }

  private Transfer handedOver(PlanTransfer.Planned planned) {
    bench.transfers.moveTo(planned.transferId(), TransferState.STAGED, "a".repeat(64));
    return bench.transfers.get(planned.transferId());
  }

  @Test
  void withAReportAnsweringTheLastTransferThePlanIsProvenAndCarriesOnlyWhatTheSiteLacks() {
    Transfer first = handedOver(planMonth(2));
    report(2, first, true);
    PlanTransfer.Planned month3 = planMonth(3);
    assertThat(month3.provable()).isTrue();
    assertThat(month3.generations()).containsExactly(3);
    assertThat(month3.summary()).startsWith("PROVEN COMPLETE").contains("proven from site report 1");
  }

  @Test
  void withoutAReportSinceTheLastTransferThePlanIsAssumedAndSaysSo() {
    PlanTransfer.Planned first = planMonth(1);
    assertThat(first.summary()).as("the first month builds on nothing the site holds").startsWith("PROVEN COMPLETE")
        .doesNotContain("assumed");
    report(1, handedOver(first), true);
    Transfer out = handedOver(planMonth(2));
    // The ledger believes month 1 is there (the report said so) but nothing answered transfer 2 yet.
    PlanTransfer.Planned next = planMonth(3);
    assertThat(next.generations()).containsExactly(2, 3);
    assertThat(next.summary()).startsWith("ASSUMED, NOT PROVEN")
        .contains("no site report since transfer " + out.sequence()).contains("CUMULATIVE");
  }

  @Test
  void aReportOfALostCacheCountsNothingInItAndTheWholeLineageIsCarried() {
    Transfer first = handedOver(planMonth(2));
    report(2, first, false);
    PlanTransfer.Planned month3 = planMonth(3);
    assertThat(month3.generations()).containsExactly(1, 2, 3);
    assertThat(month3.summary()).contains("does not prove the cache: the cache lost content");
  }
}
