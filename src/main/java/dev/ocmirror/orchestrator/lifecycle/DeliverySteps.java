package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.control.ControlRecords;
import dev.ocmirror.orchestrator.control.Controls;
import dev.ocmirror.orchestrator.ledger.CacheInventory;
import dev.ocmirror.orchestrator.ledger.LedgerRepository;
import dev.ocmirror.orchestrator.ledger.TransferPlan;
import dev.ocmirror.orchestrator.ledger.TransferPlanner;
import dev.ocmirror.orchestrator.ocmirror.OcMirrorClient;
import dev.ocmirror.orchestrator.ocmirror.OcMirrorOutcome;
import dev.ocmirror.orchestrator.ocmirror.Workflow;
import dev.ocmirror.orchestrator.registry.RegistryVerifier;
import dev.ocmirror.orchestrator.remote.Command;
import dev.ocmirror.orchestrator.remote.CommandResult;
import dev.ocmirror.orchestrator.remote.DetachedRun;
import dev.ocmirror.orchestrator.remote.FileEntry;
import dev.ocmirror.orchestrator.remote.Host;
import dev.ocmirror.orchestrator.remote.HostException;
import dev.ocmirror.orchestrator.transfer.ManifestSignature;
import dev.ocmirror.orchestrator.transfer.MediaReport;
import dev.ocmirror.orchestrator.transfer.MediaStager;
import dev.ocmirror.orchestrator.transfer.ReceiptVerifier;
import dev.ocmirror.orchestrator.transfer.TransferManifest;
import dev.ocmirror.orchestrator.integrity.Sha256;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One enclave's side of a lifecycle: plan what to carry, stage and sign the media, verify them where they are
 * mounted, import generation by generation, check the target registry, apply the cluster resources, and
 * advance what the ledger knows of the enclave.
 */
public final class DeliverySteps {

  private static final Duration OC_APPLY_LIMIT = Duration.ofMinutes(10);
  // Tens of gigabytes from removable media.
  private static final Duration COPY_LIMIT = Duration.ofHours(12);

  private final LifecycleProperties properties;
  private final LedgerRepository ledger;
  private final Controls controls;
  private final TransferPlanner planner = new TransferPlanner();

  public DeliverySteps(LifecycleProperties properties, LedgerRepository ledger, Controls controls) {
    this.properties = properties;
    this.ledger = ledger;
    this.controls = controls;
  }

  /**
   * @param summary the verdict, its reasons and the alternatives with their sizes, in words for the reviewer
   */
  public record Planned(String transferId, boolean provable, List<Integer> generations, long bytes, String summary) {
  }

  /**
   * @param lifecycleId the lifecycle the transfer belongs to; its approval is checked against that lifecycle's
   *     recorded requester
   */
  public Planned plan(String enclaveName, String lineage, int generation, String lifecycleId) {
    String requestedBy = controls.requestOf(lifecycleId).requestedBy();
    LifecycleProperties.Enclave enclave = properties.enclave(enclaveName);
    Set<String> cacheBlobs;
    try (Host host = Hosts.open(enclave.importHost())) {
      cacheBlobs = CacheInventory.blobs(host, enclave.cacheDirectory());
    }
    Map<String, Long> needed = ledger.neededBlobs(lineage, generation);
    Set<Integer> imported = ledger.importedGenerations(enclaveName, lineage);
    TransferPlan plan = planner.plan(enclaveName, generation, ledger.lineageContent(lineage), needed.keySet(), needed,
        cacheBlobs, imported);
    List<String> lines = new ArrayList<>();
    lines.add((plan.verdict() == TransferPlan.Verdict.PROVEN_COMPLETE ? "PROVEN COMPLETE" : "NOT PROVABLE")
        + ": carry generation(s) " + plan.generations() + ", " + bytes(plan.bytes()));
    plan.reasons().forEach(reason -> lines.add("- " + reason));
    if (imported.isEmpty() && generation > 1) {
      Map<String, Set<Integer>> others = new LinkedHashMap<>();
      for (String other : ledger.lineagesOf(enclaveName)) {
        if (!other.equals(lineage)) {
          others.put(other, ledger.importedGenerations(enclaveName, other));
        }
      }
      if (!others.isEmpty()) {
        lines.add("- the enclave follows another lineage (" + String.join(", ", others.keySet()) + "); content of lineage "
            + lineage + " starts from its generation 1 there");
      }
    }
    lines.add("Alternatives:");
    plan.alternatives().forEach(alternative -> lines.add("- " + alternative.kind() + ": " + alternative.description() + ", "
        + bytes(alternative.bytes())));
    String transferId = UUID.randomUUID().toString();
    ledger.recordTransfer(new LedgerRepository.Transfer(transferId, enclaveName, lineage, generation, plan.generations(),
        plan.bytes(), null, "PLANNED", Instant.now(), requestedBy, lifecycleId));
    return new Planned(transferId, plan.verdict() == TransferPlan.Verdict.PROVEN_COMPLETE, plan.generations(), plan.bytes(),
        String.join("\n", lines));
  }

  static String bytes(long bytes) {
    if (bytes < 1 << 20) {
      return bytes + " bytes";
    }
    return String.format(java.util.Locale.ROOT, "%.1f MiB (%d bytes)", bytes / 1048576.0, bytes);
  }

  public record Staged(String mediaDirectory, String manifestSha256, int files, long bytes) {
  }

  /**
   * Copies the planned generations' archives onto the media with a signed manifest; resumes where it stopped.
   * Refuses, before touching anything, a transfer without an approval of exactly its plan by someone other than
   * its requester.
   */
  public Staged stage(String transferId) {
    LedgerRepository.Transfer transfer = transfer(transferId);
    controls.requireApprovalToStage(transfer);
    Path media = properties.media().stagingDirectory().resolve(transferId);
    List<MediaStager.Source> sources = new ArrayList<>();
    String configDigest = null;
    String version = null;
    try (Host mirrorHost = Hosts.open(properties.mirror().host())) {
      for (int number : transfer.generations()) {
        LedgerRepository.GenerationRecord generation = ledger.generation(transfer.lineageId(), number).orElseThrow();
        if (generation.archivesDeleted()) {
          throw new IllegalStateException("The archives of generation " + number + " were deleted by retention after the plan;"
              + " plan the transfer again");
        }
        for (LedgerRepository.ArchiveRecord archive : ledger.archives(transfer.lineageId(), number)) {
          sources.add(new MediaStager.Source(mirrorHost, generation.storePath() + "/" + archive.fileName(),
              generationDirectory(number) + "/" + archive.fileName(), archive.sha256()));
        }
        configDigest = generation.configDigest();
        version = generation.ocMirrorVersion();
      }
      List<TransferManifest.ManifestFile> files = new MediaStager().stage(sources, media);
      TransferManifest manifest = new TransferManifest(TransferManifest.SCHEMA_VERSION, transfer.lineageId(),
          transfer.generations(), transfer.enclave(), configDigest, version, Instant.now(), transfer.createdBy(), files);
      MediaStager.writeSigned(manifest, media, ManifestSignature.readPrivateKey(properties.signing().privateKey()));
      String manifestSha256 = Sha256.hex(manifest.toJson());
      ledger.updateTransfer(transferId, "STAGED", manifestSha256);
      controls.records().recordCustody(new ControlRecords.CustodyEvent(transferId, ControlRecords.CustodyKind.STAGED, null,
          Instant.now(), manifestSha256, files.size() + " file(s) in " + media));
      return new Staged(media.toString(), manifestSha256, files.size(),
          files.stream().mapToLong(TransferManifest.ManifestFile::size).sum());
    }
  }

  static String generationDirectory(int number) {
    return String.format("generation-%06d", number);
  }

  public record Received(int files, long bytes) {
  }

  /**
   * Media whose seal was reported broken are not even looked at: what they hold cannot be trusted, whatever the
   * manifest says.
   */
  public static void refuseBrokenSeal(String transferId, boolean sealIntact) {
    if (!sealIntact) {
      throw new DecisionNeeded(DecisionNeeded.Reason.MEDIA_REJECTED, "The seal of the media of transfer " + transferId
          + " was reported broken at receipt; nothing was imported", "Reported by the operator who confirmed receipt.");
    }
  }

  /**
   * Verifies the media where the import host sees them: a valid signature by the configured key, the manifest
   * the service staged for this transfer, and every file's size and SHA-256. Any mismatch stops the import.
   */
  public Received verifyReceipt(String transferId) {
    LedgerRepository.Transfer transfer = transfer(transferId);
    LifecycleProperties.Enclave enclave = properties.enclave(transfer.enclave());
    String media = enclave.mediaMount() + "/" + transferId;
    ReceiptVerifier.Receipt receipt;
    try (Host host = Hosts.open(enclave.importHost())) {
      try {
        receipt = new ReceiptVerifier().verify(host, media, ManifestSignature.readPublicKey(properties.signing().publicKey()));
      } catch (RuntimeException unreadable) {
        if (unreadable instanceof HostException) {
          throw unreadable;
        }
        throw new DecisionNeeded(DecisionNeeded.Reason.MEDIA_REJECTED, "The media of transfer " + transferId
            + " cannot be verified: " + unreadable.getMessage(), media + " on " + host.name());
      }
    }
    List<String> problems = new ArrayList<>();
    MediaReport report = receipt.report();
    if (report.signature() != MediaReport.SignatureState.VALID) {
      problems.add("signature " + report.signature() + ": the manifest was not signed by this service's key or was changed");
    }
    String manifestSha256 = Sha256.hex(receipt.manifestBytes());
    if (!manifestSha256.equals(transfer.manifestSha256())) {
      problems.add("the manifest on the media (sha256 " + manifestSha256 + ") is not the one staged for this transfer ("
          + transfer.manifestSha256() + ")");
    }
    if (!receipt.manifest().lineage().equals(transfer.lineageId())
        || !receipt.manifest().generations().equals(transfer.generations())
        || !receipt.manifest().enclave().equals(transfer.enclave())) {
      problems.add("the manifest is for enclave " + receipt.manifest().enclave() + ", generations "
          + receipt.manifest().generations() + " of " + receipt.manifest().lineage() + ", not what was approved");
    }
    report.problems().forEach(problem -> problems.add(problem.toString()));
    if (!problems.isEmpty()) {
      ledger.updateTransfer(transferId, "REJECTED_AT_RECEIPT", null);
      controls.records().recordCustody(new ControlRecords.CustodyEvent(transferId,
          ControlRecords.CustodyKind.VERIFICATION_FAILED, null, Instant.now(), manifestSha256, problems.size() + " problem(s)"));
      throw new DecisionNeeded(DecisionNeeded.Reason.MEDIA_REJECTED, "The media of transfer " + transferId + " failed "
          + "verification with " + problems.size() + " problem(s); nothing was imported", String.join("\n", problems));
    }
    ledger.updateTransfer(transferId, "RECEIVED", null);
    controls.records().recordCustody(new ControlRecords.CustodyEvent(transferId, ControlRecords.CustodyKind.VERIFIED, null,
        Instant.now(), manifestSha256, report.filesVerified() + " file(s), " + report.bytesVerified() + " bytes on " + media));
    return new Received(report.filesVerified(), report.bytesVerified());
  }

  /** Imports one carried generation into the enclave's persistent cache and registry. */
  public OcMirrorStep importGeneration() {
    return new ImportStep();
  }

  public String importDirectory(LifecycleProperties.Enclave enclave, String lineage, int generation) {
    return enclave.importWorkspace() + "/" + lineage + "/" + generationDirectory(generation);
  }

  private final class ImportStep implements OcMirrorStep {

    @Override
    public Host openHost(Purpose purpose) {
      return Hosts.open(enclave(purpose).importHost());
    }

    @Override
    public OcMirrorClient client(Host host, Purpose purpose) {
      return new OcMirrorClient(host, enclave(purpose).settings());
    }

    /**
     * The archives are copied from the media into a directory per generation first: d2m writes its working-dir
     * beside them, and a rollback may need them after the media have gone back.
     */
    @Override
    public DetachedRun start(OcMirrorClient client, String runId, Purpose purpose) {
      LifecycleProperties.Enclave enclave = enclave(purpose);
      // A delivery imports what it carried; a rollback without a transfer re-imports archives kept on the host.
      String transferId = purpose.transferId();
      if (transferId != null) {
        controls.requireVerifiedReceiptToImport(transfer(transferId), enclave.senderMayConfirmReceipt());
      }
      String lineage = Purpose.needed(purpose.lineage(), "lineage");
      int generation = Purpose.needed(purpose.importGeneration(), "generation to import");
      if (transferId == null) {
        controls.requireApprovalToRollBack(Purpose.needed(purpose.processInstanceId(), "process instance"), enclave.name(),
            lineage, generation);
      }
      String directory = importDirectory(enclave, lineage, generation);
      Host host = client.host();
      if (transferId != null) {
        host.createDirectories(directory);
        String media = enclave.mediaMount() + "/" + transferId + "/" + generationDirectory(generation);
        for (FileEntry archive : client.archivesIn(media)) {
          String target = directory + "/" + archive.name();
          if (host.stat(target).map(FileEntry::size).orElse(-1L) != archive.size()) {
            run(host, Command.of("cp", "--", archive.path(), target), "copy " + archive.path(), COPY_LIMIT);
          }
        }
      }
      if (client.archivesIn(directory).isEmpty()) {
        throw new IllegalStateException("No archives of generation " + generation + " in " + directory + " on " + host.name());
      }
      String config = ledger.generation(lineage, generation).orElseThrow(() -> new IllegalStateException(
          "The ledger has no generation " + generation + " of " + lineage)).configText();
      return client.startDiskToMirror(runId, directory, enclave.cacheDirectory(), config, enclave.registry().destination(), false);
    }

    @Override
    public RunVerdict finish(OcMirrorClient client, DetachedRun run, Purpose purpose) {
      LifecycleProperties.Enclave enclave = enclave(purpose);
      String lineage = Purpose.needed(purpose.lineage(), "lineage");
      int generation = Purpose.needed(purpose.importGeneration(), "generation to import");
      OcMirrorOutcome outcome = client.outcome(run, Workflow.DISK_TO_MIRROR, importDirectory(enclave, lineage, generation), false);
      if (outcome.succeeded() && !ledger.importedGenerations(enclave.name(), lineage).contains(generation)) {
        ledger.recordImport(enclave.name(), lineage, generation, Instant.now());
      }
      return OutcomeVerdicts.of(outcome, run, DecisionNeeded.Reason.IMPORT_FAILED,
          new RunVerdict.Results(null, null, null, null, generation));
    }

    private LifecycleProperties.Enclave enclave(Purpose purpose) {
      return properties.enclave(Purpose.needed(purpose.enclave(), "enclave"));
    }
  }

  public record RegistryCheck(int images, List<String> problems) {
  }

  /** Every image of the generation, asked of the target registry with the digest the ledger recorded. */
  public RegistryCheck verifyRegistry(String enclaveName, String lineage, int generation, boolean failWhenMissing) {
    LifecycleProperties.Enclave enclave = properties.enclave(enclaveName);
    LifecycleProperties.Registry registry = enclave.registry();
    Map<String, String> images = ledger.images(lineage, generation);
    List<String> problems = new RegistryVerifier(new RegistryVerifier.Target(registry.url(), registry.namespace(),
        registry.caFile(), registry.username(), registry.passwordFile())).verify(images).stream()
        .filter(finding -> finding.problem() != null)
        .map(finding -> finding.image() + ": " + finding.problem())
        .toList();
    if (!problems.isEmpty() && failWhenMissing) {
      throw new DecisionNeeded(DecisionNeeded.Reason.IMAGES_MISSING, problems.size() + " of " + images.size()
          + " image(s) of generation " + generation + " are not right in " + registry.url(), String.join("\n", problems));
    }
    return new RegistryCheck(images.size(), problems);
  }

  /**
   * Applies the cluster resources the import of {@code generation} wrote to every configured cluster with
   * {@code oc apply}. Earlier generations' resources stay in their import directories for rollback.
   */
  public List<String> applyClusterResources(String enclaveName, String lineage, int generation, String processInstanceId,
      boolean rollback) {
    LifecycleProperties.Enclave enclave = properties.enclave(enclaveName);
    if (rollback) {
      controls.requireApprovalToRollBack(processInstanceId, enclaveName, lineage, generation);
    }
    List<String> applied = new ArrayList<>();
    try (Host host = Hosts.open(enclave.importHost())) {
      String directory = importDirectory(enclave, lineage, generation) + "/working-dir/cluster-resources";
      List<FileEntry> files = host.list(directory).stream()
          .filter(entry -> !entry.directory() && entry.name().endsWith(".yaml"))
          .toList();
      if (files.isEmpty()) {
        throw new IllegalStateException("No cluster resources in " + directory + " on " + host.name()
            + (rollback ? "; the import directory of generation " + generation + " is gone" : ""));
      }
      for (LifecycleProperties.Cluster cluster : enclave.clusters()) {
        for (FileEntry file : files) {
          run(host, Command.of(enclave.oc(), "apply", "--kubeconfig", cluster.kubeconfig(), "-f", file.path()),
              "oc apply of " + file.name() + " to cluster " + cluster.name(), OC_APPLY_LIMIT);
        }
        List<String> names = files.stream().map(FileEntry::name).toList();
        ledger.recordClusterApply(new LedgerRepository.ClusterApply(enclaveName, cluster.name(), lineage, generation, names,
            Instant.now(), processInstanceId, rollback));
        applied.add(cluster.name() + ": " + String.join(", ", names));
      }
    }
    return applied;
  }

  private static void run(Host host, Command command, String what, Duration limit) {
    StringBuilder output = new StringBuilder();
    CommandResult result = host.run(command, (stream, line) -> output.append(line).append('\n'), limit);
    if (!result.succeeded()) {
      throw new HostException(what + " failed on " + host.name() + " (" + result.ending() + " " + result.exitStatus() + "): "
          + output.toString().strip());
    }
  }

  /** The transfer is done; the enclave's ledger state now includes every carried generation. */
  public void close(String transferId) {
    controls.requireImportedToClose(transfer(transferId));
    ledger.updateTransfer(transferId, "IMPORTED", null);
  }

  private LedgerRepository.Transfer transfer(String transferId) {
    return ledger.transfer(transferId).orElseThrow(() -> new IllegalStateException("No transfer " + transferId + " in the ledger"));
  }
}
