package dev.ocmirror.orchestrator.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocmirror.orchestrator.integrity.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds in a source registry the content sites mirror, as real images: OpenShift releases (component images and a
 * release image whose payload names them) with the update graph and signatures that describe them, and operator
 * catalogs (file-based, with bundle and related images). For the simulator's tests and the demo; every layer is a
 * real gzip-compressed tar, so digests behave as with the real tools.
 */
public final class SourceContent {

  public static final String RELEASE_REPOSITORY = "openshift-release-dev/ocp-release";
  public static final String COMPONENT_REPOSITORY = "openshift-release-dev/ocp-v4.0-art-dev";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryClient registry;
  private final String hostPort;

  public SourceContent(String hostPort) {
    this.hostPort = hostPort;
    this.registry = new RegistryClient(hostPort);
  }

  /** A release in the registry: its version, the release image by digest, and its components by name. */
  public record Release(String version, String payload, String digest, Map<String, String> components) {
  }

  /**
   * Pushes release {@code version} for x86_64: one image per component (tagged {@code <version>-<component>} in the
   * component repository, referenced by digest) and the release image {@code <version>-x86_64}.
   */
  public Release pushRelease(String version, List<String> componentNames) throws IOException {
    Map<String, String> components = new LinkedHashMap<>();
    for (String name : componentNames) {
      byte[] layer = layer("usr/bin/" + name, (version + "/" + name).hashCode(), 8 * 1024);
      String digest = registry.pushImage(COMPONENT_REPOSITORY, version + "-" + name,
          Map.of("io.openshift.build.component", name, "io.openshift.release", version), List.of(layer));
      components.put(name, hostPort + "/" + COMPONENT_REPOSITORY + "@" + digest);
    }
    ObjectNode imageStream = JSON.createObjectNode().put("kind", "ImageStream").put("apiVersion", "image.openshift.io/v1");
    imageStream.putObject("metadata").put("name", version);
    ArrayNode tags = imageStream.putObject("spec").putArray("tags");
    components.forEach((name, reference) -> tags.addObject().put("name", name).putObject("from").put("kind", "DockerImage")
        .put("name", reference));
    Map<String, byte[]> payload = new LinkedHashMap<>();
    payload.put(Releases.IMAGE_REFERENCES, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(imageStream));
    payload.put("release-manifests/release-metadata", ("{\"kind\":\"cincinnati-metadata-v0\",\"version\":\"" + version
        + "\"}").getBytes(StandardCharsets.UTF_8));
    String digest = registry.pushImage(RELEASE_REPOSITORY, version + "-x86_64", Map.of("io.openshift.release", version),
        List.of(layer("usr/bin/cluster-version-operator", version.hashCode(), 16 * 1024), Layers.tarGz(payload)));
    return new Release(version, hostPort + "/" + RELEASE_REPOSITORY + "@" + digest, digest, Map.copyOf(components));
  }

  /** The Cincinnati answer for a channel holding these releases, each updating to every later one. */
  public static String graph(String channel, List<Release> releases) throws IOException {
    ObjectNode graph = JSON.createObjectNode();
    ArrayNode nodes = graph.putArray("nodes");
    ArrayNode edges = graph.putArray("edges");
    for (int i = 0; i < releases.size(); i++) {
      nodes.addObject().put("version", releases.get(i).version()).put("payload", releases.get(i).payload())
          .putObject("metadata").put("io.openshift.upgrades.graph.release.channels", channel);
      for (int j = 0; j < i; j++) {
        edges.addArray().add(j).add(i);
      }
    }
    return JSON.writeValueAsString(graph);
  }

  /** What stands for a release's detached signature: bytes that depend on the release digest only. */
  public static byte[] signature(String digest) {
    return ("simulated signature of " + digest + " " + Sha256.hex(digest.getBytes(StandardCharsets.UTF_8)))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** One bundle of an operator package: its version and the names of the images it runs beside its operator. */
  public record BundleSpec(String version, List<String> relatedNames) {
  }

  /** An operator package with its default channel and its channels' bundles, oldest first. */
  public record PackageSpec(String name, String defaultChannel, Map<String, List<BundleSpec>> channels) {
  }

  /**
   * Pushes a file-based catalog image {@code repository:tag} and, for every bundle, its bundle image and operator
   * and related images (in {@code <package>/...} repositories, referenced by digest). Returns every image reference
   * the catalog names, by bundle name.
   */
  public Map<String, List<String>> pushCatalog(String repository, String tag, List<PackageSpec> packages) throws IOException {
    Map<String, List<String>> imagesByBundle = new LinkedHashMap<>();
    Map<String, byte[]> configs = new LinkedHashMap<>();
    for (PackageSpec pkg : packages) {
      ByteArrayOutputStream fbc = new ByteArrayOutputStream();
      write(fbc, JSON.createObjectNode().put("schema", "olm.package").put("name", pkg.name())
          .put("defaultChannel", pkg.defaultChannel()));
      Map<String, ObjectNode> bundles = new LinkedHashMap<>();
      for (Map.Entry<String, List<BundleSpec>> channel : pkg.channels().entrySet()) {
        ObjectNode channelNode = JSON.createObjectNode().put("schema", "olm.channel").put("name", channel.getKey())
            .put("package", pkg.name());
        ArrayNode entries = channelNode.putArray("entries");
        String previous = null;
        for (BundleSpec spec : channel.getValue()) {
          String bundleName = pkg.name() + ".v" + spec.version();
          ObjectNode entry = entries.addObject().put("name", bundleName);
          if (previous != null) {
            entry.put("replaces", previous);
          }
          previous = bundleName;
          if (!bundles.containsKey(bundleName)) {
            bundles.put(bundleName, bundle(pkg.name(), bundleName, spec, imagesByBundle));
          }
        }
        write(fbc, channelNode);
      }
      for (ObjectNode bundle : bundles.values()) {
        write(fbc, bundle);
      }
      configs.put("configs/" + pkg.name() + "/catalog.json", fbc.toByteArray());
    }
    registry.pushImage(repository, tag, Map.of(OperatorCatalog.CONFIGS_LABEL, "/configs"),
        List.of(layer("bin/opm", repository.hashCode(), 24 * 1024), Layers.tarGz(configs)));
    return imagesByBundle;
  }

  private ObjectNode bundle(String packageName, String bundleName, BundleSpec spec, Map<String, List<String>> imagesByBundle)
      throws IOException {
    List<String> images = new ArrayList<>();
    String operator = push(packageName + "/" + packageName + "-operator", "v" + spec.version(), bundleName + "/operator");
    String bundleImage = push(packageName + "/" + packageName + "-bundle", "v" + spec.version(), bundleName + "/bundle");
    images.add(bundleImage);
    images.add(operator);
    ObjectNode node = JSON.createObjectNode().put("schema", "olm.bundle").put("name", bundleName).put("package", packageName)
        .put("image", bundleImage);
    node.putArray("properties").addObject().put("type", "olm.package").putObject("value").put("packageName", packageName)
        .put("version", spec.version());
    ArrayNode related = node.putArray("relatedImages");
    related.addObject().put("name", "operator").put("image", operator);
    for (String name : spec.relatedNames()) {
      String image = push(packageName + "/" + name, "v" + spec.version(), bundleName + "/" + name);
      images.add(image);
      related.addObject().put("name", name).put("image", image);
    }
    imagesByBundle.put(bundleName, List.copyOf(images));
    return node;
  }

  private String push(String repository, String tag, String seed) throws IOException {
    String digest = registry.pushImage(repository, tag, Map.of("image", seed),
        List.of(layer("opt/" + seed.replace('/', '-'), seed.hashCode(), 4 * 1024)));
    return hostPort + "/" + repository + "@" + digest;
  }

  private static void write(ByteArrayOutputStream out, ObjectNode node) throws IOException {
    out.write(JSON.writeValueAsBytes(node));
    out.write('\n');
  }

  /** A real layer holding one file of seeded random bytes: the same seed gives the same digest. */
  static byte[] layer(String path, long seed, int size) {
    byte[] content = new byte[size];
    new Random(seed).nextBytes(content);
    return Layers.tarGz(Map.of(path, content));
  }
}
