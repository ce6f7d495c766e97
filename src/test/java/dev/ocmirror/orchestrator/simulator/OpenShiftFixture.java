package dev.ocmirror.orchestrator.simulator;

import dev.ocmirror.orchestrator.support.TestRegistry;
import dev.ocmirror.orchestrator.support.TestUpdateService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What sites mirror, in a real source registry: channel stable-4.18 with releases 4.18.1 and 4.18.2 (their update
 * graph and signatures served on loopback), an operator catalog {@code redhat/redhat-operator-index:v4.18} with three
 * packages, and the additional images of {@link MirrorFixture}.
 */
public record OpenShiftFixture(MirrorFixture mirror, TestUpdateService updates, List<SourceContent.Release> releases,
    String catalog, Map<String, List<String>> bundleImages) implements AutoCloseable {

  public static final String CHANNEL = "stable-4.18";
  public static final List<String> COMPONENTS = List.of("cluster-version-operator", "machine-config-operator", "etcd");

  public static OpenShiftFixture start(Path directory) {
    MirrorFixture mirror = MirrorFixture.start(directory);
    TestUpdateService updates = TestUpdateService.start();
    try {
      SourceContent content = new SourceContent(mirror.source().hostPort());
      List<SourceContent.Release> releases = List.of(content.pushRelease("4.18.1", COMPONENTS),
          content.pushRelease("4.18.2", COMPONENTS));
      updates.channel(CHANNEL, SourceContent.graph(CHANNEL, releases));
      releases.forEach(release -> updates.signature(release.digest(), SourceContent.signature(release.digest())));
      Map<String, List<SourceContent.BundleSpec>> loggingChannels = new LinkedHashMap<>();
      loggingChannels.put("stable-6.1", List.of(new SourceContent.BundleSpec("6.1.0", List.of("vector")),
          new SourceContent.BundleSpec("6.1.1", List.of("vector"))));
      loggingChannels.put("stable-6.2", List.of(new SourceContent.BundleSpec("6.2.0", List.of("vector", "log-file-metric-exporter"))));
      Map<String, List<String>> bundleImages = content.pushCatalog("redhat/redhat-operator-index", "v4.18", List.of(
          new SourceContent.PackageSpec("cluster-logging", "stable-6.2", loggingChannels),
          new SourceContent.PackageSpec("compliance-operator", "stable", Map.of("stable", List.of(
              new SourceContent.BundleSpec("1.6.0", List.of("openscap")), new SourceContent.BundleSpec("1.7.0", List.of("openscap"))))),
          new SourceContent.PackageSpec("sriov-network-operator", "stable", Map.of("stable", List.of(
              new SourceContent.BundleSpec("4.18.0", List.of("sriov-cni")))))));
      return new OpenShiftFixture(mirror, updates, releases, mirror.source().hostPort() + "/redhat/redhat-operator-index:v4.18",
          bundleImages);
    } catch (IOException e) {
      updates.close();
      mirror.close();
      throw new UncheckedIOException(e);
    }
  }

  public TestRegistry source() {
    return mirror.source();
  }

  /** The environment oc-mirror needs for release content: the update graph and the signatures. */
  public Map<String, String> environment() {
    return Map.of("UPDATE_URL_OVERRIDE", updates.graphUrl(), "OCP_SIGNATURE_URL", updates.signatureUrl());
  }

  /** An ImageSetConfiguration with the channel's head, the graph image, the catalog's packages and additional images. */
  public String config(List<String> packages, String... additionalImages) {
    StringBuilder yaml = new StringBuilder("kind: ImageSetConfiguration\napiVersion: mirror.openshift.io/v2alpha1\nmirror:\n"
        + "  platform:\n    graph: true\n    channels:\n    - name: " + CHANNEL + "\n      type: ocp\n");
    if (!packages.isEmpty()) {
      yaml.append("  operators:\n  - catalog: ").append(catalog).append("\n    packages:\n");
      packages.forEach(name -> yaml.append("    - name: ").append(name).append('\n'));
    }
    if (additionalImages.length > 0) {
      yaml.append("  additionalImages:\n");
      for (String image : additionalImages) {
        yaml.append("  - name: ").append(image).append('\n');
      }
    }
    return yaml.toString();
  }

  @Override
  public void close() {
    updates.close();
    mirror.close();
  }
}
