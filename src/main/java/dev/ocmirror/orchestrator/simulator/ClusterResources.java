package dev.ocmirror.orchestrator.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The cluster resources diskToMirror writes for what it mirrored (contract section 2): the digest and tag mirror
 * sets per category (release, operator, generic), a CatalogSource and a ClusterCatalog per catalog, the
 * UpdateService with the graph image, and the release signatures' ConfigMap that clusters need to accept an update.
 */
final class ClusterResources {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  private final Path directory;
  private final String version;
  private final Consumer<String> announce;
  private final String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

  /** @param version the oc-mirror version the annotations name; null writes none, as 4.16 does */
  ClusterResources(Path directory, String version, Consumer<String> announce) {
    this.directory = directory;
    this.version = version;
    this.announce = announce;
  }

  void write(List<OcMirrorSimulator.MirrorImage> mirrored, List<SimulatorConfiguration.Catalog> catalogs,
      List<Releases.Release> releases, Path signatures, String mirror) throws IOException {
    announce.accept("📄 Generating cluster resources...");
    Files.createDirectories(directory);
    Map<String, Map<String, String>> digestScopes = new LinkedHashMap<>();
    Map<String, Map<String, String>> tagScopes = new LinkedHashMap<>();
    for (OcMirrorSimulator.MirrorImage image : mirrored) {
      if (image.role() != OcMirrorSimulator.Role.IMAGE) {
        continue;
      }
      String target = mirror + (image.scopeTarget().isEmpty() ? "" : "/" + image.scopeTarget());
      (image.byDigest() ? digestScopes : tagScopes).computeIfAbsent(image.kind().category, key -> new TreeMap<>())
          .put(image.scopeSource(), target);
    }
    mirrorSets("idms-oc-mirror.yaml", "ImageDigestMirrorSet", "idms", "imageDigestMirrors", digestScopes);
    mirrorSets("itms-oc-mirror.yaml", "ImageTagMirrorSet", "itms", "imageTagMirrors", tagScopes);
    for (SimulatorConfiguration.Catalog catalog : catalogs) {
      ImageReference image = catalog.image();
      boolean done = mirrored.stream().anyMatch(m -> m.role() == OcMirrorSimulator.Role.CATALOG
          && m.origin().equals(image.original()));
      if (done) {
        catalogResources(image, mirror);
      }
    }
    if (mirrored.stream().anyMatch(image -> image.role() == OcMirrorSimulator.Role.GRAPH)) {
      ObjectNode service = resource("updateservice.operator.openshift.io/v1", "UpdateService", "update-service-oc-mirror",
          "openshift-update-service");
      service.putObject("spec").put("replicas", 2).put("releases", mirror + "/" + Releases.RELEASE_REPOSITORY)
          .put("graphDataImage", mirror + "/" + OcMirrorSimulator.GRAPH_REPOSITORY + ":latest");
      yaml("updateService.yaml", List.of(service));
    }
    signatureConfigMap(mirrored, releases, signatures);
  }

  private void mirrorSets(String file, String kind, String prefix, String listKey, Map<String, Map<String, String>> scopes)
      throws IOException {
    if (scopes.isEmpty()) {
      return;
    }
    List<ObjectNode> documents = new java.util.ArrayList<>();
    for (String category : List.of("release", "operator", "generic")) {
      Map<String, String> ofCategory = scopes.get(category);
      if (ofCategory == null) {
        continue;
      }
      ObjectNode set = resource("config.openshift.io/v1", kind, prefix + "-" + category + "-0", null);
      ArrayNode list = set.putObject("spec").putArray(listKey);
      ofCategory.forEach((source, target) -> {
        ObjectNode entry = list.addObject();
        entry.putArray("mirrors").add(target);
        entry.put("source", source);
      });
      documents.add(set);
    }
    yaml(file, documents);
  }

  private void catalogResources(ImageReference catalog, String mirror) throws IOException {
    String last = catalog.path().substring(catalog.path().lastIndexOf('/') + 1);
    String suffix = catalog.digest() != null ? catalog.digest().substring("sha256:".length(), "sha256:".length() + 12)
        : rfc1035(catalog.tag().length() > 12 ? catalog.tag().substring(0, 12) : catalog.tag());
    String name = rfc1035(last) + "-" + suffix;
    String image = mirror + "/" + catalog.path() + (catalog.digest() != null ? "@" + catalog.digest() : ":" + catalog.tag());
    ObjectNode source = resource("operators.coreos.com/v1alpha1", "CatalogSource", "cs-" + name, "openshift-marketplace");
    source.putObject("spec").put("image", image).put("sourceType", "grpc");
    yaml("cs-" + name + ".yaml", List.of(source));
    ObjectNode clusterCatalog = resource("olm.operatorframework.io/v1", "ClusterCatalog", "cc-" + name, null);
    clusterCatalog.putObject("spec").putObject("source").put("type", "Image").putObject("image").put("ref", image);
    yaml("cc-" + name + ".yaml", List.of(clusterCatalog));
  }

  /** {@code mirrored-release-signatures}: one entry per mirrored release, as clusters verify updates against it. */
  private void signatureConfigMap(List<OcMirrorSimulator.MirrorImage> mirrored, List<Releases.Release> releases,
      Path signatures) throws IOException {
    if (!Files.isDirectory(signatures)) {
      return;
    }
    Map<String, String> binaryData = new TreeMap<>();
    for (Releases.Release release : releases) {
      boolean done = mirrored.stream().anyMatch(image -> image.origin().equals(release.payload()));
      String digest = release.payloadImage().digest();
      Path file = signatures.resolve(release.tag() + "-" + digest.replace(':', '-'));
      if (done && Files.isRegularFile(file)) {
        binaryData.put(digest.replace(':', '-') + "-1", Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
      }
    }
    if (binaryData.isEmpty()) {
      return;
    }
    ObjectNode configMap = resource("v1", "ConfigMap", "mirrored-release-signatures", "openshift-config-managed");
    ((ObjectNode) configMap.path("metadata")).putObject("labels").put("release.openshift.io/verification-signatures", "");
    ObjectNode data = configMap.putObject("binaryData");
    binaryData.forEach(data::put);
    Files.write(directory.resolve("signature-configmap.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(configMap));
    announce.accept(directory.resolve("signature-configmap.json") + " file created");
    yaml("signature-configmap.yaml", List.of(configMap));
  }

  private ObjectNode resource(String apiVersion, String kind, String name, String namespace) {
    ObjectNode node = JSON.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
    ObjectNode metadata = node.putObject("metadata");
    if (version != null) {
      metadata.putObject("annotations").put("createdAt", now).put("createdBy", "oc-mirror v2")
          .put("oc-mirror_version", version);
    }
    metadata.put("name", name);
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    return node;
  }

  private void yaml(String file, List<ObjectNode> documents) throws IOException {
    StringBuilder text = new StringBuilder();
    for (ObjectNode document : documents) {
      text.append("---\n").append(YAML.writeValueAsString(document));
    }
    Path path = directory.resolve(file);
    Files.writeString(path, text);
    announce.accept(path + " file created");
  }

  private static String rfc1035(String text) {
    String mapped = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    return Stream.of(mapped.split("-+")).filter(part -> !part.isEmpty()).reduce((a, b) -> a + "-" + b).orElse("x");
  }
}
