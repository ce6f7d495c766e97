package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.ledger.ArchiveDamagedException;
import dev.ocmirror.orchestrator.ledger.ArchiveStore;
import dev.ocmirror.orchestrator.ledger.LedgerException;
import dev.ocmirror.orchestrator.ledger.LedgerIngest;
import dev.ocmirror.orchestrator.ledger.LedgerRepository;
import dev.ocmirror.orchestrator.ledger.Retention;
import dev.ocmirror.orchestrator.ocmirror.OcMirrorClient;
import dev.ocmirror.orchestrator.ocmirror.OcMirrorOutcome;
import dev.ocmirror.orchestrator.ocmirror.Workflow;
import dev.ocmirror.orchestrator.ocmirror.config.ConfigurationDiff;
import dev.ocmirror.orchestrator.ocmirror.config.ImageSetConfiguration;
import dev.ocmirror.orchestrator.ocmirror.config.ImageSetConfigurationReader;
import dev.ocmirror.orchestrator.ocmirror.config.InvalidImageSetConfigurationException;
import dev.ocmirror.orchestrator.remote.DetachedRun;
import dev.ocmirror.orchestrator.remote.FileEntry;
import dev.ocmirror.orchestrator.remote.Host;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The connected side of a lifecycle: check the proposed configuration, dry run, mirrorToDisk into the lineage's
 * workspace, and record the archives as the next generation of the ledger.
 */
public final class MirrorSteps {

  private static final int MAX_MAPPING = 64 << 20;

  private final LifecycleProperties properties;
  private final LedgerRepository ledger;
  private final ImageSetConfigurationReader reader = new ImageSetConfigurationReader();

  public MirrorSteps(LifecycleProperties properties, LedgerRepository ledger) {
    this.properties = properties;
    this.ledger = ledger;
  }

  /**
   * @param diffSummary the change against the lineage's last generation in a few lines (baseline: what it holds)
   */
  public record Prepared(String lineage, int generation, String configDigest, String diffSummary, boolean configChanged) {
  }

  /**
   * Validates the configuration and decides which generation of which lineage the run will build: a new lineage
   * for a baseline, the next generation of the newest lineage for an update.
   */
  public Prepared prepare(String configText, boolean baseline) {
    ImageSetConfiguration config;
    try {
      config = reader.read(configText);
    } catch (InvalidImageSetConfigurationException e) {
      throw new DecisionNeeded(DecisionNeeded.Reason.CONFIGURATION_INVALID, "The ImageSetConfiguration is not valid: "
          + e.problems().size() + " problem(s)", String.join("\n", e.problems()));
    }
    properties.enclaveNames().forEach(name -> ledger.ensureEnclave(name, Instant.now()));
    String digest = ImageSetConfigurationReader.digest(config);
    if (baseline) {
      return new Prepared(UUID.randomUUID().toString(), 1, digest, "Baseline of a new lineage: " + config.channels().size()
          + " release channel(s), " + config.operators().size() + " operator catalog(s), " + config.additionalImages().size()
          + " additional image(s), " + config.helmRepositories().size() + " Helm repositories", true);
    }
    String lineage = ledger.latestLineage().orElseThrow(() -> new DecisionNeeded(DecisionNeeded.Reason.NO_BASELINE,
        "There is no baseline yet: an update continues a lineage, so start mirror-baseline first", ""));
    int last = ledger.lastGeneration(lineage).orElseThrow();
    LedgerRepository.GenerationRecord previous = ledger.generation(lineage, last).orElseThrow();
    ConfigurationDiff diff = ConfigurationDiff.between(reader.read(previous.configText()), config);
    return new Prepared(lineage, last + 1, digest, diff.summary(), !diff.isEmpty());
  }

  /**
   * The configuration a scheduled update mirrors: the configured file, else the newest generation's. Empty when
   * there is neither (no baseline yet).
   */
  public java.util.Optional<String> scheduledConfiguration() {
    java.nio.file.Path file = properties.update().configurationFile();
    if (file != null) {
      try {
        return java.util.Optional.of(java.nio.file.Files.readString(file, StandardCharsets.UTF_8));
      } catch (java.io.IOException e) {
        throw new IllegalStateException("Cannot read the scheduled update's configuration " + file + ": " + e.getMessage(), e);
      }
    }
    return ledger.latestLineage().flatMap(lineage -> ledger.lastGeneration(lineage)
        .flatMap(number -> ledger.generation(lineage, number))).map(LedgerRepository.GenerationRecord::configText);
  }

  public String workspace(String lineage) {
    return properties.mirror().workspaceRoot() + "/" + lineage;
  }

  private String mappingFile(String lineage, int generation) {
    return properties.mirror().runsDirectory() + "/" + lineage + "-generation-" + generation + ".mapping.txt";
  }

  /** The dry run: counts the images of the configuration and keeps their list for the ledger. */
  public OcMirrorStep dryRun() {
    return new MirrorHostStep(true);
  }

  /** mirrorToDisk: writes the generation's archives into the lineage's workspace. */
  public OcMirrorStep mirrorToDisk() {
    return new MirrorHostStep(false);
  }

  private final class MirrorHostStep implements OcMirrorStep {

    private final boolean dryRun;

    MirrorHostStep(boolean dryRun) {
      this.dryRun = dryRun;
    }

    @Override
    public Host openHost(Purpose purpose) {
      return Hosts.open(properties.mirror().host());
    }

    @Override
    public OcMirrorClient client(Host host, Purpose purpose) {
      return new OcMirrorClient(host, properties.mirror().settings());
    }

    @Override
    public DetachedRun start(OcMirrorClient client, String runId, Purpose purpose) {
      return client.startMirrorToDisk(runId, workspace(Purpose.needed(purpose.lineage(), "lineage")),
          properties.mirror().cacheDirectory(), Purpose.needed(purpose.imagesetConfig(), "ImageSetConfiguration"), dryRun,
          null);
    }

    @Override
    public RunVerdict finish(OcMirrorClient client, DetachedRun run, Purpose purpose) {
      String lineage = Purpose.needed(purpose.lineage(), "lineage");
      int generation = Purpose.needed(purpose.generation(), "generation");
      String workspace = workspace(lineage);
      OcMirrorOutcome outcome = client.outcome(run, Workflow.MIRROR_TO_DISK, workspace, dryRun);
      String version = outcome.ocMirrorVersion() == null ? "unknown" : outcome.ocMirrorVersion();
      RunVerdict.Results results = new RunVerdict.Results(version, null, null, null, null);
      if (outcome.succeeded() && dryRun) {
        Host host = client.host();
        byte[] mapping = host.read(workspace + "/working-dir/dry-run/mapping.txt", MAX_MAPPING);
        host.write(mappingFile(lineage, generation), mapping);
        List<String> images = mappingImages(new String(mapping, StandardCharsets.UTF_8));
        int missing = host.stat(workspace + "/working-dir/dry-run/missing.txt").isPresent()
            ? mappingImages(new String(host.read(workspace + "/working-dir/dry-run/missing.txt", MAX_MAPPING),
                StandardCharsets.UTF_8)).size() : 0;
        results = new RunVerdict.Results(version, images.size(), missing, null, null);
      } else if (outcome.succeeded()) {
        results = new RunVerdict.Results(version, null, null, outcome.archives().size(), null);
      }
      return OutcomeVerdicts.of(outcome, run, DecisionNeeded.Reason.MIRROR_FAILED, results);
    }
  }

  /**
   * The images of a dry run's {@code mapping.txt} as the cache names them ({@code repo:tag}, or
   * {@code repo:sha256-<hex>} for digest references): the part after the cache registry's host and port.
   */
  static List<String> mappingImages(String mapping) {
    List<String> images = new ArrayList<>();
    for (String line : mapping.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int equals = trimmed.lastIndexOf("=docker://");
      if (equals < 0) {
        throw new IllegalStateException("Unexpected line in oc-mirror's mapping.txt: " + trimmed);
      }
      String cache = trimmed.substring(equals + "=docker://".length());
      int slash = cache.indexOf('/');
      images.add(slash < 0 ? cache : cache.substring(slash + 1));
    }
    return images;
  }

  public record Recorded(int archives, int blobs, long bytes, int images, List<Integer> deletedByRetention) {
  }

  /**
   * Moves the run's archives into the store and records them as the generation. Safe to repeat: a generation the
   * ledger already holds is reported, not recorded twice, and archives already moved are found in the store.
   */
  public Recorded record(String lineage, int generation, String configText, String ocMirrorVersion, String requestedBy) {
    try (Host host = Hosts.open(properties.mirror().host())) {
      OcMirrorClient client = new OcMirrorClient(host, properties.mirror().settings());
      ArchiveStore store = new ArchiveStore(host, properties.mirror().archiveStore());
      if (ledger.generation(lineage, generation).isEmpty()) {
        String workspace = workspace(lineage);
        List<FileEntry> archives;
        if (!client.archivesIn(workspace).isEmpty()) {
          // Archives in the store that the ledger never recorded come from an attempt whose ingest failed.
          store.archives(lineage, generation).forEach(stale -> host.delete(stale.path()));
          archives = store.receive(client, workspace, lineage, generation);
        } else {
          archives = store.archives(lineage, generation);
          if (archives.isEmpty()) {
            throw new IllegalStateException("Generation " + generation + " of lineage " + lineage + " has no archives, neither in "
                + workspace + " nor in the store on " + host.name());
          }
        }
        List<String> images = mappingImages(new String(host.read(mappingFile(lineage, generation), MAX_MAPPING),
            StandardCharsets.UTF_8));
        String digest = ImageSetConfigurationReader.digest(reader.read(configText));
        try {
          new LedgerIngest(ledger).ingest(new LedgerIngest.Request(lineage, generation, configText, digest, ocMirrorVersion,
              store.generationDirectory(lineage, generation), host, archives.stream().map(FileEntry::path).toList(), images,
              requestedBy));
        } catch (LedgerException | ArchiveDamagedException refused) {
          // Retrying the same archives cannot help: the run must be repeated or a new baseline taken.
          throw new DecisionNeeded(DecisionNeeded.Reason.MIRROR_FAILED, "The ledger refused the archives of generation "
              + generation + ": " + refused.getMessage(), "Archives in " + store.generationDirectory(lineage, generation)
              + " on " + host.name());
        }
      }
      List<Integer> deleted = store.applyRetention(lineage, new Retention(properties.mirror().keepForRollback()), ledger);
      List<LedgerRepository.ArchiveRecord> archives = ledger.archives(lineage, generation);
      return new Recorded(archives.size(), ledger.lineageContent(lineage).get(generation).archivedBlobs().size(),
          archives.stream().mapToLong(LedgerRepository.ArchiveRecord::size).sum(), ledger.images(lineage, generation).size(),
          deleted);
    }
  }
}
