package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.control.ControlRecords;
import dev.ocmirror.orchestrator.control.Controls;
import dev.ocmirror.orchestrator.ledger.ClusterApplies;
import dev.ocmirror.orchestrator.ledger.Enclaves;
import dev.ocmirror.orchestrator.ledger.Generations;
import dev.ocmirror.orchestrator.ledger.SiteReportRecords;
import dev.ocmirror.orchestrator.ledger.Transfer;
import dev.ocmirror.orchestrator.ledger.Transfers;
import dev.ocmirror.orchestrator.support.StandIns;
import dev.ocmirror.orchestrator.support.TestArchives;
import dev.ocmirror.orchestrator.transfer.ManifestSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A whole site on this machine for testing the steps one by one, without Camunda: an H2 ledger and control records
 * (migrated as in the service), the mirror host and one enclave "north" with two clusters, all local directories,
 * signing keys, and an {@code oc} that records what it applies. Generations are made as oc-mirror makes them: each
 * month's archive holds every tag of the configuration but only the blobs no earlier month archived.
 */
final class StepBench {

  static final String ENCLAVE = "north";
  static final String REQUESTER = "olivia";

  final Path dir;
  final Generations generations;
  final Enclaves enclaves;
  final Transfers transfers;
  final ClusterApplies applies;
  final SiteReportRecords reports;
  final ControlRecords records;
  final Controls controls;
  final LifecycleProperties properties;
  final Hosts hosts = Hosts.asConfigured();
  final Path ocApplyLog;

  StepBench(Path dir) {
    this(dir, ENCLAVE, null);
  }

  /**
   * The receiving station of an enclave on the far side of an air gap: its own ledger, its enclave's cache and
   * clusters, the connected side's public key, its own report key and return directory, and imports approved by a
   * change manager.
   */
  static StepBench station(Path dir, String enclave, Path connectedPublicKey) {
    return new StepBench(dir, enclave, connectedPublicKey);
  }

  private StepBench(Path dir, String enclaveName, Path connectedPublicKey) {
    this.dir = dir;
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:steps-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    Flyway.configure().dataSource(h2).table("ledger_schema_history").load().migrate();
    DataSource database = h2;
    generations = new Generations(database);
    enclaves = new Enclaves(database);
    transfers = new Transfers(database);
    applies = new ClusterApplies(database);
    reports = new SiteReportRecords(database);
    records = new ControlRecords(database);
    controls = new Controls(records, enclaves);
    // As every lifecycle's first step does for the configured enclaves.
    enclaves.ensure(enclaveName, Instant.now());
    try {
      KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      Path privateKey = Files.writeString(dir.resolve("signing.pem"),
          ManifestSignature.encodePem("PRIVATE KEY", keys.getPrivate().getEncoded()));
      Path publicKey = Files.writeString(dir.resolve("signing.pub"),
          ManifestSignature.encodePem("PUBLIC KEY", keys.getPublic().getEncoded()));
      Path oc = StandIns.oc(dir.resolve("bin"));
      ocApplyLog = oc.resolveSibling("oc-apply.log");
      LifecycleProperties.HostAccess local = new LifecycleProperties.HostAccess(true, null, null, null, null, null);
      LifecycleProperties connected = new LifecycleProperties(
          new LifecycleProperties.Mirror(local, false, "/nonexistent/oc-mirror", path("mirror/workspaces"),
              path("mirror/cache"), path("mirror/runs"), path("mirror/store"), 1, null, null),
          new LifecycleProperties.Media(dir.resolve("media"), null),
          new LifecycleProperties.Signing(privateKey, publicKey),
          new LifecycleProperties.Approval(Duration.ofDays(2)), null, null,
          List.of(new LifecycleProperties.Enclave(enclaveName, local, "/nonexistent/oc-mirror", oc.toString(), path("north/cache"),
              path("north/imports"), path("north/runs"), dir.resolve("media").toString(),
              new LifecycleProperties.Registry("https://registry.north.invalid", "mirror", null, null, null),
              List.of(new LifecycleProperties.Cluster("prod", "/etc/north/prod.kubeconfig"),
                  new LifecycleProperties.Cluster("dr", "/etc/north/dr.kubeconfig")), null, null, null, null, null)));
      properties = connectedPublicKey == null ? connected : new LifecycleProperties(connected.mirror(), connected.media(),
          connected.signing(), connected.approval(), connected.worker(), connected.update(), connected.enclaves(),
          LifecycleProperties.Role.STATION, new LifecycleProperties.Station(enclaveName, connectedPublicKey, privateKey,
              dir.resolve("return"), LifecycleProperties.StationApproval.REQUIRED));
      Files.createDirectories(dir.resolve("mirror/runs"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String path(String relative) {
    return dir.resolve(relative).toString();
  }

  LifecycleProperties.Enclave north() {
    return properties.enclaves().get(0);
  }

  /** A lifecycle as its start event records it: who requested it. */
  String lifecycle(String requestedBy) {
    String id = "lifecycle-" + UUID.randomUUID();
    records.recordRequest(new ControlRecords.Request(id, "mirror-update", requestedBy, Instant.now()));
    return id;
  }

  static String config(int month) {
    StringBuilder yaml = new StringBuilder("kind: ImageSetConfiguration\napiVersion: mirror.openshift.io/v2alpha1\nmirror:\n"
        + "  additionalImages:\n");
    for (int image = 1; image <= month; image++) {
      yaml.append("    - name: quay.io/demo/app:v").append(image).append('\n');
    }
    return yaml.toString();
  }

  /**
   * Months 1 to {@code months} of a new lineage, each mirrored to disk and recorded by {@link RecordGeneration}: month N
   * adds the image demo/app:vN. Returns the blobs each month archived, month 1 first.
   */
  List<Set<String>> mirrorMonths(String lineage, int months) {
    return mirrorMonths(lineage, months, () -> { });
  }

  /** As {@link #mirrorMonths(String, int)}, doing {@code betweenRunAndRecord} after each month's run, before its record. */
  List<Set<String>> mirrorMonths(String lineage, int months, Runnable betweenRunAndRecord) {
    List<Set<String>> archived = new ArrayList<>();
    Set<String> history = new HashSet<>();
    RecordGeneration record = new RecordGeneration(properties, hosts, generations, enclaves);
    for (int month = 1; month <= months; month++) {
      TestArchives archive = new TestArchives(month);
      StringBuilder mapping = new StringBuilder();
      for (int image = 1; image <= month; image++) {
        archive.image("demo/app", "v" + image, layer(image, 4000), layer(1000 + image, 1000));
        mapping.append("docker://quay.io/demo/app:v").append(image).append("=docker://localhost:55000/demo/app:v")
            .append(image).append('\n');
      }
      archive.omitting(history);
      if (!history.isEmpty()) {
        archive.history(history);
      }
      try {
        Path workspace = Files.createDirectories(Path.of(properties.mirror().workspace(lineage)));
        Path tar = archive.write(workspace.resolve("mirror_000001.tar"));
        Set<String> blobs = new HashSet<>(new dev.ocmirror.orchestrator.ledger.ArchiveReader().read(tar).blobs().stream()
            .map(blob -> blob.digest()).toList());
        Files.writeString(Path.of(properties.mirror().mappingFile(lineage, month)), mapping);
        betweenRunAndRecord.run();
        record.record(lineage, month, config(month), "4.18.0", REQUESTER);
        archived.add(blobs);
        history.addAll(blobs);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return archived;
  }

  private static byte[] layer(long seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** The enclave's oc-mirror cache holds these blobs, as after importing the archives that carried them. */
  void cacheHolds(Set<String> digests) {
    for (String digest : digests) {
      String hex = digest.substring("sha256:".length());
      Path data = Path.of(north().cacheDirectory(), ".oc-mirror/.cache/docker/registry/v2/blobs/sha256", hex.substring(0, 2),
          hex, "data");
      try {
        Files.createDirectories(data.getParent());
        Files.writeString(data, "");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A change manager's decision on exactly the plan the ledger holds. */
  void decide(Transfer transfer, boolean approved, String who) {
    records.recordApproval(new ControlRecords.Approval(transfer.id(), Controls.planDigest(transfer), approved, who,
        Instant.now(), approved ? "fine" : "not now", "task-1"));
  }

  /** The media handed over by one operator and received, seal intact, by another. */
  void handOverAndReceive(String transferId, String sender, String receiver) {
    String manifest = transfers.get(transferId).manifestSha256();
    records.recordCustody(new ControlRecords.CustodyEvent(transferId, ControlRecords.CustodyKind.HANDED_OVER, sender,
        Instant.now(), manifest, "USB-1"));
    records.recordCustody(new ControlRecords.CustodyEvent(transferId, ControlRecords.CustodyKind.RECEIVED, receiver,
        Instant.now(), null, null));
  }
}
