package dev.ocmirror.orchestrator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A file-based operator catalog (FBC: {@code olm.package}, {@code olm.channel} and {@code olm.bundle} objects under
 * the directory the image's label {@code operators.operatorframework.io.index.configs.v1} names), and what an
 * ImageSetConfiguration selects of it: per package the head of its default channel, or of the channels listed, or
 * every bundle between the versions given. The catalog oc-mirror rebuilds holds only what was selected.
 */
final class OperatorCatalog {

  static final String CONFIGS_LABEL = "operators.operatorframework.io.index.configs.v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One bundle: its operator package and version, its bundle image and the images it runs. */
  record Bundle(String name, String packageName, String version, String image, List<String> relatedImages) {
  }

  private final Map<String, JsonNode> packages = new LinkedHashMap<>();
  private final Map<String, Map<String, JsonNode>> channels = new LinkedHashMap<>();
  private final Map<String, JsonNode> bundleNodes = new LinkedHashMap<>();
  private final Map<String, Bundle> bundles = new LinkedHashMap<>();

  /** Reads every JSON object of every file under the configs directory of a catalog image's layers. */
  static OperatorCatalog read(Map<String, byte[]> configFiles) throws IOException {
    OperatorCatalog catalog = new OperatorCatalog();
    for (byte[] content : configFiles.values()) {
      try (MappingIterator<JsonNode> objects = JSON.readerFor(JsonNode.class).readValues(content)) {
        while (objects.hasNext()) {
          catalog.add(objects.next());
        }
      }
    }
    return catalog;
  }

  private void add(JsonNode object) {
    switch (object.path("schema").asText()) {
      case "olm.package" -> packages.put(object.path("name").asText(), object);
      case "olm.channel" -> channels.computeIfAbsent(object.path("package").asText(), key -> new LinkedHashMap<>())
          .put(object.path("name").asText(), object);
      case "olm.bundle" -> {
        String version = "";
        for (JsonNode property : object.path("properties")) {
          if (property.path("type").asText().equals("olm.package")) {
            version = property.path("value").path("version").asText();
          }
        }
        List<String> related = new ArrayList<>();
        object.path("relatedImages").forEach(image -> related.add(image.path("image").asText()));
        String name = object.path("name").asText();
        bundleNodes.put(name, object);
        bundles.put(name, new Bundle(name, object.path("package").asText(), version, object.path("image").asText(),
            List.copyOf(related)));
      }
      default -> {
        // Other schemas (olm.deprecations, ...) are carried along untouched by the real tool; not modelled here.
      }
    }
  }

  /** What a catalog entry of the configuration selects: the bundles, and the catalog rebuilt to hold only them. */
  record Selection(List<Bundle> bundles, byte[] configs) {

    /** Every image the selection needs, bundle images and related images, each once. */
    List<String> images() {
      Set<String> images = new LinkedHashSet<>();
      for (Bundle bundle : bundles) {
        images.add(bundle.image());
        images.addAll(bundle.relatedImages());
      }
      return List.copyOf(images);
    }
  }

  Selection select(SimulatorConfiguration.Catalog filter) throws Releases.CollectionFailed {
    List<SimulatorConfiguration.PackageFilter> wanted = filter.packages().isEmpty()
        ? packages.keySet().stream().map(name -> new SimulatorConfiguration.PackageFilter(name, null, null, List.of())).toList()
        : filter.packages();
    Map<String, Set<String>> selectedByChannel = new LinkedHashMap<>();
    Set<String> selected = new LinkedHashSet<>();
    for (SimulatorConfiguration.PackageFilter pkg : wanted) {
      JsonNode packageNode = packages.get(pkg.name());
      if (packageNode == null) {
        throw new Releases.CollectionFailed("package " + pkg.name() + " not found in catalog " + filter.image().original());
      }
      Map<String, JsonNode> packageChannels = channels.getOrDefault(pkg.name(), Map.of());
      List<SimulatorConfiguration.ChannelFilter> channelFilters = pkg.channels();
      if (channelFilters.isEmpty()) {
        List<String> names = filter.full() ? List.copyOf(packageChannels.keySet())
            : List.of(packageNode.path("defaultChannel").asText());
        channelFilters = names.stream().map(name -> new SimulatorConfiguration.ChannelFilter(name, null, null)).toList();
      }
      for (SimulatorConfiguration.ChannelFilter channelFilter : channelFilters) {
        JsonNode channel = packageChannels.get(channelFilter.name());
        if (channel == null) {
          throw new Releases.CollectionFailed("channel " + channelFilter.name() + " of package " + pkg.name()
              + " not found in catalog " + filter.image().original());
        }
        String min = channelFilter.minVersion() != null ? channelFilter.minVersion() : pkg.minVersion();
        String max = channelFilter.maxVersion() != null ? channelFilter.maxVersion() : pkg.maxVersion();
        List<Bundle> inChannel = new ArrayList<>();
        channel.path("entries").forEach(entry -> {
          Bundle bundle = bundles.get(entry.path("name").asText());
          if (bundle != null) {
            inChannel.add(bundle);
          }
        });
        inChannel.sort(Comparator.comparing(Bundle::version, Versions.ORDER));
        List<Bundle> chosen = min == null && max == null && !filter.full() && !inChannel.isEmpty()
            ? List.of(inChannel.get(inChannel.size() - 1))
            : inChannel.stream().filter(bundle -> Versions.within(bundle.version(), min, max)).toList();
        if (chosen.isEmpty()) {
          throw new Releases.CollectionFailed("no bundle of package " + pkg.name() + " in channel " + channelFilter.name()
              + " lies between " + min + " and " + max);
        }
        chosen.forEach(bundle -> {
          selected.add(bundle.name());
          selectedByChannel.computeIfAbsent(pkg.name() + "/" + channelFilter.name(), key -> new LinkedHashSet<>())
              .add(bundle.name());
        });
      }
    }
    return new Selection(selected.stream().map(bundles::get).toList(), rebuilt(selectedByChannel, selected));
  }

  /** The filtered catalog as the rebuilt image's configs: one {@code catalog.json} per package. */
  private byte[] rebuilt(Map<String, Set<String>> selectedByChannel, Set<String> selected) throws Releases.CollectionFailed {
    Map<String, List<JsonNode>> perPackage = new TreeMap<>();
    for (Map.Entry<String, Set<String>> entry : selectedByChannel.entrySet()) {
      String packageName = entry.getKey().substring(0, entry.getKey().indexOf('/'));
      String channelName = entry.getKey().substring(entry.getKey().indexOf('/') + 1);
      List<JsonNode> objects = perPackage.computeIfAbsent(packageName, name -> {
        ObjectNode pkg = packages.get(name).deepCopy();
        List<JsonNode> list = new ArrayList<>();
        list.add(pkg);
        return list;
      });
      ObjectNode channel = channels.get(packageName).get(channelName).deepCopy();
      var entries = channel.putArray("entries");
      channels.get(packageName).get(channelName).path("entries").forEach(item -> {
        if (entry.getValue().contains(item.path("name").asText())) {
          ObjectNode kept = item.deepCopy();
          // An entry may only replace what the rebuilt catalog still holds.
          if (kept.has("replaces") && !selected.contains(kept.path("replaces").asText())) {
            kept.remove("replaces");
          }
          entries.add(kept);
        }
      });
      objects.add(channel);
    }
    for (String name : selected) {
      perPackage.get(bundles.get(name).packageName()).add(bundleNodes.get(name));
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, List<JsonNode>> pkg : perPackage.entrySet()) {
        ObjectNode first = (ObjectNode) pkg.getValue().get(0);
        Set<String> kept = new LinkedHashSet<>();
        selectedByChannel.keySet().stream().filter(key -> key.startsWith(pkg.getKey() + "/"))
            .forEach(key -> kept.add(key.substring(key.indexOf('/') + 1)));
        if (!kept.contains(first.path("defaultChannel").asText())) {
          first.put("defaultChannel", kept.iterator().next());
        }
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        for (JsonNode object : pkg.getValue()) {
          json.write(JSON.writeValueAsBytes(object));
          json.write('\n');
        }
        files.put("configs/" + pkg.getKey() + "/catalog.json", json.toByteArray());
      }
    } catch (IOException e) {
      throw new Releases.CollectionFailed("cannot rebuild the catalog: " + e.getMessage());
    }
    return Layers.tarGz(files);
  }
}
