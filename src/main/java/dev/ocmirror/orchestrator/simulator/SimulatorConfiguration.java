package dev.ocmirror.orchestrator.simulator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The parts of an ImageSetConfiguration the simulator acts on (release channels and the graph image, operator
 * catalogs with their package filters, additional images, blocked images, the archive size), loaded as strictly as
 * oc-mirror loads it: unknown fields and duplicate keys are refused (contract section 4). Helm is not modelled and
 * is refused as such.
 */
record SimulatorConfiguration(List<Channel> channels, List<String> architectures, boolean graph, List<Catalog> catalogs,
    List<ImageReference> additional, List<Pattern> blocked, int archiveSize) {

  record Channel(String name, String minVersion, String maxVersion, boolean full) {
  }

  record Catalog(ImageReference image, boolean full, List<PackageFilter> packages) {
  }

  record PackageFilter(String name, String minVersion, String maxVersion, List<ChannelFilter> channels) {
  }

  record ChannelFilter(String name, String minVersion, String maxVersion) {
  }

  /** A configuration the simulator refuses, with oc-mirror's exit status for it. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  private static final Set<String> TOP = Set.of("kind", "apiVersion", "mirror", "archiveSize");
  private static final Set<String> MIRROR = Set.of("platform", "operators", "additionalImages", "helm", "blockedImages", "samples");
  private static final Set<String> PLATFORM = Set.of("channels", "graph", "architectures", "release", "kubeVirtContainer",
      "platforms");
  private static final Set<String> CHANNEL = Set.of("name", "type", "minVersion", "maxVersion", "shortestPath", "full");
  private static final Set<String> OPERATOR = Set.of("catalog", "targetCatalog", "targetTag", "full", "skipDependencies",
      "targetCatalogSourceTemplate", "platforms", "packages");
  private static final Set<String> PACKAGE = Set.of("name", "defaultChannel", "minVersion", "maxVersion", "channels");
  private static final Set<String> PACKAGE_CHANNEL = Set.of("name", "minVersion", "maxVersion");
  private static final Set<String> ADDITIONAL = Set.of("name", "targetRepo", "targetTag", "platforms");

  static SimulatorConfiguration load(Path file) throws Refused, IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
    JsonNode root;
    try {
      root = yaml.readTree(file.toFile());
    } catch (IOException e) {
      throw new Refused("decode ImageSetConfiguration: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new Refused("decode ImageSetConfiguration: not a YAML mapping");
    }
    fields(root, TOP);
    if (!"ImageSetConfiguration".equals(root.path("kind").asText())) {
      throw new Refused("config kind must be ImageSetConfiguration, found \"" + root.path("kind").asText() + "\"");
    }
    JsonNode mirror = root.path("mirror");
    if (!mirror.isObject()) {
      throw new Refused("invalid configuration: mirror is mandatory");
    }
    fields(mirror, MIRROR);
    if (mirror.path("helm").size() > 0) {
      throw new Refused("the oc-mirror simulator does not model helm charts");
    }
    JsonNode platform = mirror.path("platform");
    fields(platform, PLATFORM);
    List<Channel> channels = new ArrayList<>();
    for (JsonNode channel : platform.path("channels")) {
      fields(channel, CHANNEL);
      String name = channel.path("name").asText();
      if (name.isEmpty()) {
        throw new Refused("invalid configuration: platform channels need a name");
      }
      channels.add(new Channel(name, version(channel, "minVersion"), version(channel, "maxVersion"),
          channel.path("full").asBoolean(false)));
    }
    List<String> architectures = new ArrayList<>();
    platform.path("architectures").forEach(arch -> architectures.add(arch.asText()));
    if (architectures.isEmpty()) {
      architectures.add("amd64");
    }
    if (platform.hasNonNull("release")) {
      throw new Refused("the oc-mirror simulator resolves releases from channels only, not platform.release");
    }
    List<Catalog> catalogs = new ArrayList<>();
    for (JsonNode operator : mirror.path("operators")) {
      fields(operator, OPERATOR);
      String catalog = operator.path("catalog").asText();
      if (catalog.isEmpty() || catalog.startsWith("oci://")) {
        throw new Refused("invalid configuration: operators need a catalog image (oci:// catalogs are not modelled)");
      }
      List<PackageFilter> packages = new ArrayList<>();
      for (JsonNode pkg : operator.path("packages")) {
        fields(pkg, PACKAGE);
        List<ChannelFilter> packageChannels = new ArrayList<>();
        for (JsonNode channel : pkg.path("channels")) {
          fields(channel, PACKAGE_CHANNEL);
          packageChannels.add(new ChannelFilter(channel.path("name").asText(), version(channel, "minVersion"),
              version(channel, "maxVersion")));
        }
        packages.add(new PackageFilter(pkg.path("name").asText(), version(pkg, "minVersion"), version(pkg, "maxVersion"),
            packageChannels));
      }
      catalogs.add(new Catalog(ImageReference.parse(catalog), operator.path("full").asBoolean(false), packages));
    }
    List<Pattern> blocked = new ArrayList<>();
    for (JsonNode entry : mirror.path("blockedImages")) {
      try {
        blocked.add(Pattern.compile(entry.path("name").asText()));
      } catch (PatternSyntaxException e) {
        throw new Refused("invalid configuration: blockedImages " + entry.path("name").asText() + " is not a valid regex");
      }
    }
    Map<String, ImageReference> images = new LinkedHashMap<>();
    for (JsonNode entry : mirror.path("additionalImages")) {
      fields(entry, ADDITIONAL);
      String name = entry.path("name").asText();
      if (name.isEmpty()) {
        throw new Refused("invalid configuration: additionalImages entries need a name");
      }
      images.put(name, ImageReference.parse(name));
    }
    return new SimulatorConfiguration(List.copyOf(channels), List.copyOf(architectures), platform.path("graph").asBoolean(false),
        List.copyOf(catalogs), List.copyOf(images.values()), List.copyOf(blocked), root.path("archiveSize").asInt(500));
  }

  /** Whether a blockedImages pattern matches the image: it is then left out. */
  boolean isBlocked(String image) {
    return blocked.stream().anyMatch(pattern -> pattern.matcher(image).find());
  }

  private static String version(JsonNode node, String field) throws Refused {
    if (!node.hasNonNull(field)) {
      return null;
    }
    String version = node.path(field).asText();
    if (!Versions.valid(version)) {
      throw new Refused("invalid configuration: " + field + " " + version + " is not a semantic version");
    }
    return version;
  }

  private static void fields(JsonNode node, Set<String> allowed) throws Refused {
    if (!node.isObject()) {
      return;
    }
    for (var names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new Refused("decode ImageSetConfiguration: json: unknown field \"" + name + "\"");
      }
    }
  }
}
