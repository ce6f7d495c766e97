package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.ledger.Enclaves;
import dev.ocmirror.orchestrator.ledger.GenerationRecord;
import dev.ocmirror.orchestrator.ledger.Generations;
import dev.ocmirror.orchestrator.ocmirror.config.ConfigurationDiff;
import dev.ocmirror.orchestrator.ocmirror.config.ImageSetConfiguration;
import dev.ocmirror.orchestrator.ocmirror.config.ImageSetConfigurationReader;
import dev.ocmirror.orchestrator.ocmirror.config.InvalidImageSetConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Checks the proposed ImageSetConfiguration as strictly as oc-mirror would and decides which generation of which
 * lineage the run builds: a new lineage for a baseline, the next generation of the newest lineage for an update,
 * with the change against the last one.
 */
public final class PrepareConfiguration {

  private final LifecycleProperties properties;
  private final Generations generations;
  private final Enclaves enclaves;
  private final ImageSetConfigurationReader reader = new ImageSetConfigurationReader();

  public PrepareConfiguration(LifecycleProperties properties, Generations generations, Enclaves enclaves) {
    this.properties = properties;
    this.generations = generations;
    this.enclaves = enclaves;
  }

  /**
   * @param diffSummary the change against the lineage's last generation, item by item (baseline: what it holds)
   */
  public record Prepared(String lineage, int generation, String configDigest, String diffSummary, boolean configChanged) {
  }

  public Prepared prepare(String configText, boolean baseline) {
    ImageSetConfiguration config;
    try {
      config = reader.read(configText);
    } catch (InvalidImageSetConfigurationException e) {
      throw new DecisionNeeded(DecisionNeeded.Reason.CONFIGURATION_INVALID, "The ImageSetConfiguration is not valid: "
          + e.problems().size() + " problem(s)", String.join("\n", e.problems()));
    }
    properties.enclaveNames().forEach(name -> enclaves.ensure(name, Instant.now()));
    String digest = ImageSetConfigurationReader.digest(config);
    if (baseline) {
      return new Prepared(UUID.randomUUID().toString(), 1, digest, "Baseline of a new lineage: " + config.channels().size()
          + " release channel(s), " + config.operators().size() + " operator catalog(s), " + config.additionalImages().size()
          + " additional image(s), " + config.helmRepositories().size() + " Helm repositories\n"
          + ConfigurationDiff.contentOf(config).listing(), true);
    }
    String lineage = generations.latestLineage().orElseThrow(() -> new DecisionNeeded(DecisionNeeded.Reason.NO_BASELINE,
        "There is no baseline yet: an update continues a lineage, so start mirror-baseline first", ""));
    int last = generations.last(lineage).orElseThrow();
    GenerationRecord previous = generations.find(lineage, last).orElseThrow();
    ConfigurationDiff diff = ConfigurationDiff.between(reader.read(previous.configText()), config);
    return new Prepared(lineage, last + 1, digest, diff.isEmpty() ? diff.summary() : "Against generation " + last + ":\n"
        + diff.listing(), !diff.isEmpty());
  }

  /**
   * The configuration a scheduled update mirrors: the configured file, else the newest generation's. Empty when
   * there is neither (no baseline yet).
   */
  public Optional<String> scheduledConfiguration() {
    Path file = properties.update().configurationFile();
    if (file != null) {
      try {
        return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalStateException("Cannot read the scheduled update's configuration " + file + ": " + e.getMessage(), e);
      }
    }
    return latestConfiguration();
  }

  /** The configuration of the newest generation: where the next update starts from. Empty before the baseline. */
  public Optional<String> latestConfiguration() {
    return generations.latestLineage().flatMap(lineage -> generations.last(lineage)
        .flatMap(number -> generations.find(lineage, number))).map(GenerationRecord::configText);
  }
}
