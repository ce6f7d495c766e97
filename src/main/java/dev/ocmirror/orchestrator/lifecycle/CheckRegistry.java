package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.ledger.Generations;
import dev.ocmirror.orchestrator.registry.RegistryVerifier;
import java.util.List;
import java.util.Map;

/** Every image of a generation, asked of the enclave's target registry with the digest the ledger recorded. */
public final class CheckRegistry {

  private final LifecycleProperties properties;
  private final Generations generations;

  public CheckRegistry(LifecycleProperties properties, Generations generations) {
    this.properties = properties;
    this.generations = generations;
  }

  public record Findings(int images, List<String> problems) {
  }

  /**
   * @param failWhenMissing an import that left images missing needs an operator's decision; a rollback only wants to
   *     know what to import again
   */
  public Findings check(String enclaveName, String lineage, int generation, boolean failWhenMissing) {
    LifecycleProperties.Registry registry = properties.enclave(enclaveName).registry();
    Map<String, String> images = generations.images(lineage, generation);
    List<RegistryVerifier.Finding> findings = new RegistryVerifier(new RegistryVerifier.Target(registry.url(),
        registry.namespace(), registry.caFile(), registry.username(), registry.passwordFile())).verify(images);
    List<RegistryVerifier.Finding> unanswered = findings.stream().filter(finding -> !finding.registryReached()).toList();
    if (!unanswered.isEmpty()) {
      // A registry that does not answer says nothing about the images: a fault to retry, not a reason to import again.
      throw new IllegalStateException("The registry at " + registry.url() + " did not answer for " + unanswered.size()
          + " of " + images.size() + " image(s) of generation " + generation + " (" + unanswered.get(0).problem()
          + "). The check is retried; once the registry answers, the lifecycle goes on without importing again.");
    }
    List<String> problems = findings.stream()
        .filter(finding -> finding.problem() != null)
        .map(finding -> finding.image() + ": " + finding.problem())
        .toList();
    if (!problems.isEmpty() && failWhenMissing) {
      throw new DecisionNeeded(DecisionNeeded.Reason.IMAGES_MISSING, problems.size() + " of " + images.size()
          + " image(s) of generation " + generation + " are not right in " + registry.url(), String.join("\n", problems));
    }
    return new Findings(images.size(), problems);
  }
}
