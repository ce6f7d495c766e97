package dev.ocmirror.orchestrator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocmirror.orchestrator.remote.Command;
import dev.ocmirror.orchestrator.remote.CommandResult;
import dev.ocmirror.orchestrator.remote.LocalHost;
import dev.ocmirror.orchestrator.support.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Release and operator content through the simulator, as sites mirror it (contract sections 2 to 4): a channel's
 * release with its components, signatures and the graph image; an operator catalog filtered to the packages asked
 * for and rebuilt; the cluster resources diskToMirror writes for them.
 */
class OpenShiftContentTest {

  @TempDir
  static Path shared;
  static OpenShiftFixture content;

  @TempDir
  Path dir;

  @BeforeAll
  static void sourceContent() {
    content = OpenShiftFixture.start(shared);
  }

  @AfterAll
  static void stop() {
    if (content != null) {
      content.close();
    }
  }

  record Run(int exit, String output) {
  }

  private Run ocMirror(Map<String, String> extraEnvironment, String... args) {
    Map<String, String> environment = new HashMap<>(content.environment());
    environment.putAll(extraEnvironment);
    List<String> argv = new ArrayList<>(List.of(content.mirror().ocMirror()));
    argv.addAll(dev.ocmirror.orchestrator.support.CachePort.added(List.of(args), environment));
    Command command = Command.of(argv);
    for (Map.Entry<String, String> variable : environment.entrySet()) {
      command = command.withEnvironment(variable.getKey(), variable.getValue());
    }
    List<String> lines = new CopyOnWriteArrayList<>();
    CommandResult result = new LocalHost().run(command, (stream, line) -> lines.add(line), Duration.ofMinutes(2));
    return new Run(result.exitStatus(), String.join("\n", lines));
  }

  private Path config(String name, String yaml) throws Exception {
    return Files.writeString(dir.resolve(name), yaml);
  }

  @Test
  void aChannelsReleaseAndTheSelectedOperatorsAreMirroredImportedAndDescribedForTheClusters() throws Exception {
    Path workspace = dir.resolve("ws");
    Map<String, String> mirrorCache = Map.of("OC_MIRROR_CACHE", dir.resolve("mirror-cache").toString());
    Path month = config("isc.yaml", content.config(List.of("compliance-operator"), content.mirror().alpha()));

    Run dryRun = ocMirror(mirrorCache, "-c", month.toString(), "file://" + workspace, "--v2", "--dry-run", "--port", "55301");
    assertThat(dryRun.exit()).as(dryRun.output()).isZero();
    String mapping = Files.readString(workspace.resolve("working-dir/dry-run/mapping.txt"));
    SourceContent.Release head = content.releases().get(1);
    assertThat(mapping).contains("docker://" + head.payload() + "=docker://localhost:55301/openshift/release-images:4.18.2-x86_64")
        .contains("=docker://localhost:55301/openshift/release:4.18.2-x86_64-etcd")
        .contains("=docker://localhost:55301/openshift/graph-image:latest")
        .contains("docker://" + content.catalog() + "=docker://localhost:55301/redhat/redhat-operator-index:v4.18")
        .contains("compliance-operator/compliance-operator-bundle:sha256-")
        .contains("=docker://localhost:55301/demo/alpha:v1")
        .doesNotContain("4.18.1").doesNotContain("cluster-logging").doesNotContain("1.6.0");
    assertThat(mapping.lines()).as("release, 3 components, graph, catalog, bundle, operator, openscap, alpha").hasSize(10);

    Run m2d = ocMirror(mirrorCache, "-c", month.toString(), "file://" + workspace, "--v2");
    assertThat(m2d.exit()).as(m2d.output()).isZero();
    assertThat(m2d.output()).contains("Success collecting release 4.18.2", "Rebuilding catalog " + content.catalog(),
        "5 / 5 release images mirrored successfully", "4 / 4 operator images mirrored successfully",
        "1 / 1 additional images mirrored successfully");
    assertThat(Files.list(workspace.resolve("working-dir/signatures")).map(p -> p.getFileName().toString()))
        .containsExactly("4.18.2-x86_64-" + head.digest().replace(':', '-'));

    try (TestRegistry target = TestRegistry.start(dir.resolve("target"))) {
      Run d2m = ocMirror(Map.of("OC_MIRROR_CACHE", dir.resolve("enclave-cache").toString()), "-c", month.toString(),
          "--from", "file://" + workspace, "docker://" + target.hostPort() + "/mirror", "--v2");
      assertThat(d2m.exit()).as(d2m.output()).isZero();
      assertThat(target.manifestDigest("mirror/openshift/release-images", "4.18.2-x86_64")).isEqualTo(head.digest());
      String etcd = head.components().get("etcd");
      assertThat(target.manifestDigest("mirror/openshift/release", "4.18.2-x86_64-etcd"))
          .isEqualTo(etcd.substring(etcd.indexOf('@') + 1));
      assertThat(target.manifestDigest("mirror/openshift/graph-image", "latest")).isNotNull();
      String rebuilt = target.manifestDigest("mirror/redhat/redhat-operator-index", "v4.18");
      assertThat(rebuilt).as("the catalog is rebuilt").isNotNull()
          .isNotEqualTo(content.source().manifestDigest("redhat/redhat-operator-index", "v4.18"));
      String bundle = content.bundleImages().get("compliance-operator.v1.7.0").get(0);
      String bundleDigest = bundle.substring(bundle.indexOf('@') + 1);
      assertThat(target.manifestDigest("mirror/compliance-operator/compliance-operator-bundle",
          bundleDigest.substring("sha256:".length()))).isEqualTo(bundleDigest);

      Path resources = workspace.resolve("working-dir/cluster-resources");
      assertThat(Files.list(resources).map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("idms-oc-mirror.yaml",
          "itms-oc-mirror.yaml", "cs-redhat-operator-index-v4-18.yaml", "cc-redhat-operator-index-v4-18.yaml",
          "updateService.yaml", "signature-configmap.json", "signature-configmap.yaml");
      String idms = Files.readString(resources.resolve("idms-oc-mirror.yaml"));
      String source = content.source().hostPort();
      assertThat(idms).contains("name: idms-release-0", "name: idms-operator-0",
          "source: " + source + "/" + SourceContent.COMPONENT_REPOSITORY, target.hostPort() + "/mirror/openshift/release",
          "source: " + source + "/" + SourceContent.RELEASE_REPOSITORY, target.hostPort() + "/mirror/openshift/release-images",
          "source: " + source + "/compliance-operator");
      assertThat(Files.readString(resources.resolve("cs-redhat-operator-index-v4-18.yaml")))
          .contains("kind: CatalogSource", "namespace: openshift-marketplace", "sourceType: grpc",
              "image: " + target.hostPort() + "/mirror/redhat/redhat-operator-index:v4.18");
      JsonNode signatures = new ObjectMapper().readTree(resources.resolve("signature-configmap.json").toFile());
      assertThat(signatures.path("metadata").path("name").asText()).isEqualTo("mirrored-release-signatures");
      assertThat(signatures.path("binaryData").has(head.digest().replace(':', '-') + "-1")).isTrue();
      assertThat(Files.readString(resources.resolve("updateService.yaml")))
          .contains("graphDataImage: " + target.hostPort() + "/mirror/openshift/graph-image:latest");
    }
  }

  @Test
  void theRebuiltCatalogHoldsOnlyWhatWasSelected() throws Exception {
    Path workspace = dir.resolve("ws");
    String yaml = content.config(List.of()).replace("  platform:\n    graph: true\n    channels:\n    - name: "
        + OpenShiftFixture.CHANNEL + "\n      type: ocp\n", "") + "  operators:\n  - catalog: " + content.catalog() + "\n"
        + "    packages:\n    - name: cluster-logging\n      channels:\n      - name: stable-6.1\n        minVersion: 6.1.0\n";
    Path isc = config("isc.yaml", yaml);
    Run m2d = ocMirror(Map.of("OC_MIRROR_CACHE", dir.resolve("cache").toString()), "-c", isc.toString(), "file://" + workspace,
        "--v2");
    assertThat(m2d.exit()).as(m2d.output()).isZero();
    assertThat(m2d.output()).contains("7 / 7 operator images mirrored successfully");

    SimulatorCache cache = new SimulatorCache(dir.resolve("cache"));
    String digest = cache.tag("redhat/redhat-operator-index", "v4.18").orElseThrow();
    JsonNode manifest = new ObjectMapper().readTree(cache.blob(digest).orElseThrow());
    byte[] configsLayer = cache.blob(manifest.path("layers").get(manifest.path("layers").size() - 1).path("digest").asText())
        .orElseThrow();
    Map<String, byte[]> files = Layers.files(configsLayer);
    assertThat(files).containsOnlyKeys("configs/cluster-logging/catalog.json");
    String fbc = new String(files.get("configs/cluster-logging/catalog.json"), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(fbc).contains("cluster-logging.v6.1.0", "cluster-logging.v6.1.1", "\"defaultChannel\":\"stable-6.1\"")
        .doesNotContain("cluster-logging.v6.2.0").doesNotContain("\"name\":\"stable-6.2\"");
  }

  @Test
  void whatACatalogOrAChannelDoesNotHoldStopsTheRunWithItsBit() throws Exception {
    Path workspace = dir.resolve("ws");
    Map<String, String> cache = Map.of("OC_MIRROR_CACHE", dir.resolve("cache").toString());
    Run unknownPackage = ocMirror(cache, "-c", config("a.yaml", content.config(List.of("no-such-operator"))).toString(),
        "file://" + workspace, "--v2");
    assertThat(unknownPackage.exit()).isEqualTo(4);
    assertThat(unknownPackage.output()).contains("[OperatorImageCollector] package no-such-operator not found in catalog");

    Run unknownChannel = ocMirror(cache, "-c", config("b.yaml", content.config(List.of())
        .replace(OpenShiftFixture.CHANNEL, "stable-9.9")).toString(), "file://" + workspace, "--v2");
    assertThat(unknownChannel.exit()).isEqualTo(2);
    assertThat(unknownChannel.output()).contains("[ReleaseImageCollector]").contains("stable-9.9");

    Run noGraph = ocMirror(Map.of("OC_MIRROR_CACHE", dir.resolve("cache").toString(), "UPDATE_URL_OVERRIDE", ""), "-c",
        config("c.yaml", content.config(List.of())).toString(), "file://" + workspace, "--v2");
    assertThat(noGraph.exit()).isEqualTo(2);
    assertThat(noGraph.output()).contains("UPDATE_URL_OVERRIDE");
    try (Stream<Path> files = Files.list(workspace)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("mirror_"));
    }
  }

  @Test
  void aDifferentialMonthNeedsTheEarlierMonthInTheImportCache() throws Exception {
    Path workspace = dir.resolve("ws");
    Map<String, String> mirrorCache = Map.of("OC_MIRROR_CACHE", dir.resolve("mirror-cache").toString());
    Path month1 = config("m1.yaml", content.config(List.of("compliance-operator")));
    assertThat(ocMirror(mirrorCache, "-c", month1.toString(), "file://" + workspace, "--v2").exit()).isZero();
    Path generation1 = Files.createDirectories(dir.resolve("gen1"));
    Files.move(workspace.resolve("mirror_000001.tar"), generation1.resolve("mirror_000001.tar"));

    Path month2 = config("m2.yaml", content.config(List.of("compliance-operator", "sriov-network-operator")));
    Run second = ocMirror(mirrorCache, "-c", month2.toString(), "file://" + workspace, "--v2");
    assertThat(second.exit()).as(second.output()).isZero();
    Path generation2 = Files.createDirectories(dir.resolve("gen2"));
    Files.move(workspace.resolve("mirror_000001.tar"), generation2.resolve("mirror_000001.tar"));
    assertThat(Files.size(generation2.resolve("mirror_000001.tar"))).as("differential")
        .isLessThan(Files.size(generation1.resolve("mirror_000001.tar")));

    try (TestRegistry target = TestRegistry.start(dir.resolve("target"))) {
      String destination = "docker://" + target.hostPort() + "/mirror";
      Run fresh = ocMirror(Map.of("OC_MIRROR_CACHE", dir.resolve("fresh-cache").toString()), "-c", month2.toString(),
          "--from", "file://" + generation2, destination, "--v2");
      assertThat(fresh.exit()).as("month 2 alone lacks month 1's release").isEqualTo(2);
      assertThat(fresh.output()).contains("openshift/release-images: manifest unknown");

      Map<String, String> kept = Map.of("OC_MIRROR_CACHE", dir.resolve("kept-cache").toString());
      assertThat(ocMirror(kept, "-c", month1.toString(), "--from", "file://" + generation1, destination, "--v2").exit()).isZero();
      Run incremental = ocMirror(kept, "-c", month2.toString(), "--from", "file://" + generation2, destination, "--v2");
      assertThat(incremental.exit()).as(incremental.output()).isZero();
      String sriov = content.bundleImages().get("sriov-network-operator.v4.18.0").get(0);
      String sriovDigest = sriov.substring(sriov.indexOf('@') + 1);
      assertThat(target.manifestDigest("mirror/sriov-network-operator/sriov-network-operator-bundle",
          sriovDigest.substring("sha256:".length()))).isEqualTo(sriovDigest);
    }
  }
}
