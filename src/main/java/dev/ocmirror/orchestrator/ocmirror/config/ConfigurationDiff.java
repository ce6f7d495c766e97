package dev.ocmirror.orchestrator.ocmirror.config;

import dev.ocmirror.orchestrator.ocmirror.config.ImageSetConfiguration.AdditionalImage;
import dev.ocmirror.orchestrator.ocmirror.config.ImageSetConfiguration.Channel;
import dev.ocmirror.orchestrator.ocmirror.config.ImageSetConfiguration.Operator;
import dev.ocmirror.orchestrator.ocmirror.config.ImageSetConfiguration.OperatorPackage;
import dev.ocmirror.orchestrator.ocmirror.config.ImageSetConfiguration.PackageChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What changed between two configurations, item by item, in words a change manager reads before approving a
 * transfer. Entries are ordered by area, then item, so the same two configurations always give the same diff.
 */
public record ConfigurationDiff(List<Change> changes) {

  public enum Area {
    ARCHIVE_SIZE("archive size"), PLATFORM_CHANNEL("platform channel"), GRAPH("update graph"),
    ARCHITECTURES("architectures"), OPERATOR_CATALOG("operator catalog"), OPERATOR_PACKAGE("operator package"),
    PACKAGE_CHANNEL("operator channel"), ADDITIONAL_IMAGE("additional image"), BLOCKED_IMAGE("blocked image"),
    HELM_CHART("helm chart");

    private final String words;

    Area(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  public enum Kind { ADDED, REMOVED, CHANGED }

  /** One change; {@code before}/{@code after} describe the item (null on the side where it does not exist). */
  public record Change(Area area, Kind kind, String item, String before, String after) {
  }

  public ConfigurationDiff {
    changes = List.copyOf(changes);
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }

  public static ConfigurationDiff between(ImageSetConfiguration before, ImageSetConfiguration after) {
    List<Change> changes = new ArrayList<>();
    compareValue(changes, Area.ARCHIVE_SIZE, "archiveSize", gib(before.archiveSize()), gib(after.archiveSize()));
    compare(changes, Area.PLATFORM_CHANNEL, index(before.channels(), c -> c.name() + (c.type() == null ? "" : " (" + c.type() + ")")),
        index(after.channels(), c -> c.name() + (c.type() == null ? "" : " (" + c.type() + ")")), ConfigurationDiff::describe);
    compareValue(changes, Area.GRAPH, "graph", String.valueOf(before.graph()), String.valueOf(after.graph()));
    compareValue(changes, Area.ARCHITECTURES, "architectures", architectures(before), architectures(after));
    Map<String, Operator> catalogsBefore = index(before.operators(), ConfigurationDiff::catalogKey);
    Map<String, Operator> catalogsAfter = index(after.operators(), ConfigurationDiff::catalogKey);
    compare(changes, Area.OPERATOR_CATALOG, catalogsBefore, catalogsAfter, ConfigurationDiff::describe);
    for (String catalog : union(catalogsBefore, catalogsAfter)) {
      Map<String, OperatorPackage> packagesBefore = packages(catalogsBefore.get(catalog));
      Map<String, OperatorPackage> packagesAfter = packages(catalogsAfter.get(catalog));
      compare(changes, Area.OPERATOR_PACKAGE, prefixed(catalog, packagesBefore), prefixed(catalog, packagesAfter),
          ConfigurationDiff::describe);
      for (String pkg : union(packagesBefore, packagesAfter)) {
        compare(changes, Area.PACKAGE_CHANNEL, prefixed(catalog + " " + pkg, channels(packagesBefore.get(pkg))),
            prefixed(catalog + " " + pkg, channels(packagesAfter.get(pkg))), ConfigurationDiff::describe);
      }
    }
    compare(changes, Area.ADDITIONAL_IMAGE, index(before.additionalImages(), AdditionalImage::name),
        index(after.additionalImages(), AdditionalImage::name), ConfigurationDiff::describe);
    compare(changes, Area.BLOCKED_IMAGE, index(before.blockedImages(), ImageSetConfiguration.BlockedImage::name),
        index(after.blockedImages(), ImageSetConfiguration.BlockedImage::name), blocked -> blocked.name());
    compare(changes, Area.HELM_CHART, charts(before), charts(after), Function.identity());
    changes.sort((a, b) -> a.area() != b.area() ? a.area().compareTo(b.area()) : a.item().compareTo(b.item()));
    return new ConfigurationDiff(changes);
  }

  /** A few lines: counts per kind of item, with the first names, e.g. "2 operator packages added (a, b)". */
  public String summary() {
    if (changes.isEmpty()) {
      return "No change to the configuration.";
    }
    Map<String, List<Change>> groups = new LinkedHashMap<>();
    for (Change change : changes) {
      groups.computeIfAbsent(change.area().ordinal() + "|" + change.kind(), key -> new ArrayList<>()).add(change);
    }
    List<String> lines = new ArrayList<>();
    groups.values().forEach(group -> {
      Change first = group.get(0);
      String kind = first.kind().name().toLowerCase();
      if (first.kind() == Kind.CHANGED && group.size() == 1) {
        lines.add(first.area().words() + " " + first.item() + ": " + first.before() + " -> " + first.after());
        return;
      }
      List<String> names = group.stream().limit(3).map(Change::item).toList();
      lines.add(group.size() + " " + first.area().words() + (group.size() == 1 ? "" : "s") + " " + kind + " ("
          + String.join(", ", names) + (group.size() > 3 ? ", ..." : "") + ")");
    });
    return String.join("\n", lines);
  }

  /**
   * Every change, one per line, under "Added", "Removed" and "Changed": what a reviewer checks item by item. A
   * summary shortens the lists; this never does.
   */
  public String listing() {
    if (changes.isEmpty()) {
      return "No change to the configuration.";
    }
    List<String> lines = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      List<Change> ofKind = changes.stream().filter(change -> change.kind() == kind).toList();
      if (ofKind.isEmpty()) {
        continue;
      }
      lines.add(switch (kind) {
        case ADDED -> "Added";
        case REMOVED -> "Removed";
        case CHANGED -> "Changed";
      } + " (" + ofKind.size() + "):");
      for (Change change : ofKind) {
        lines.add(switch (kind) {
          case ADDED -> "  + " + change.area().words() + " " + change.item();
          case REMOVED -> "  - " + change.area().words() + " " + change.item();
          case CHANGED -> "  ~ " + change.area().words() + " " + change.item() + ": " + change.before() + " -> " + change.after();
        });
      }
    }
    return String.join("\n", lines);
  }

  /** Everything a configuration holds, as the changes from nothing to it: what a new lineage's baseline mirrors. */
  public static ConfigurationDiff contentOf(ImageSetConfiguration config) {
    ImageSetConfiguration nothing = new ImageSetConfiguration(config.kind(), config.apiVersion(), config.archiveSize(),
        new ImageSetConfiguration.Mirror(config.mirror().platform() == null ? null : new ImageSetConfiguration.Platform(
            null, config.mirror().platform().graph(), config.mirror().platform().architectures(), null, null,
            config.mirror().platform().platforms()), null, null, null, null, null));
    return between(nothing, config);
  }

  private static <T> void compare(List<Change> changes, Area area, Map<String, T> before, Map<String, T> after,
      Function<T, String> describe) {
    for (String key : union(before, after)) {
      T old = before.get(key);
      T now = after.get(key);
      if (old == null) {
        changes.add(new Change(area, Kind.ADDED, key, null, describe.apply(now)));
      } else if (now == null) {
        changes.add(new Change(area, Kind.REMOVED, key, describe.apply(old), null));
      } else if (!Objects.equals(describe.apply(old), describe.apply(now))) {
        changes.add(new Change(area, Kind.CHANGED, key, describe.apply(old), describe.apply(now)));
      }
    }
  }

  private static void compareValue(List<Change> changes, Area area, String item, String before, String after) {
    if (!Objects.equals(before, after)) {
      changes.add(new Change(area, Kind.CHANGED, item, before, after));
    }
  }

  private static <T> Map<String, T> index(List<T> items, Function<T, String> key) {
    Map<String, T> map = new TreeMap<>();
    items.forEach(item -> map.put(key.apply(item), item));
    return map;
  }

  private static <T> Map<String, T> prefixed(String prefix, Map<String, T> items) {
    Map<String, T> map = new TreeMap<>();
    items.forEach((key, value) -> map.put(prefix + " " + key, value));
    return map;
  }

  private static TreeSet<String> union(Map<String, ?> a, Map<String, ?> b) {
    TreeSet<String> keys = new TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    return keys;
  }

  private static String catalogKey(Operator operator) {
    return operator.catalog() + (operator.targetCatalog() == null ? "" : " as " + operator.targetCatalog())
        + (operator.targetTag() == null ? "" : ":" + operator.targetTag());
  }

  private static Map<String, OperatorPackage> packages(Operator operator) {
    return operator == null ? Map.of() : index(ImageSetConfiguration.listOf(operator.packages()), OperatorPackage::name);
  }

  private static Map<String, PackageChannel> channels(OperatorPackage pkg) {
    return pkg == null ? Map.of() : index(ImageSetConfiguration.listOf(pkg.channels()), PackageChannel::name);
  }

  private static Map<String, String> charts(ImageSetConfiguration config) {
    Map<String, String> charts = new TreeMap<>();
    config.helmRepositories().forEach(repository -> ImageSetConfiguration.listOf(repository.charts())
        .forEach(chart -> charts.put(repository.name() + "/" + chart.name(), chart.version() == null ? "latest" : chart.version())));
    return charts;
  }

  private static String architectures(ImageSetConfiguration config) {
    if (config.mirror().platform() == null) {
      return "amd64";
    }
    List<String> list = ImageSetConfiguration.listOf(config.mirror().platform().architectures());
    if (!list.isEmpty()) {
      return String.join(", ", new TreeSet<>(list));
    }
    List<ImageSetConfiguration.PlatformSpec> platforms = ImageSetConfiguration.listOf(config.mirror().platform().platforms());
    return platforms.isEmpty() ? "amd64" : String.join(", ", new TreeSet<>(platforms.stream()
        .map(p -> p.os() + "/" + p.architecture()).toList()));
  }

  private static String gib(Integer size) {
    return (size == null ? 500 : size) + " GiB";
  }

  private static String range(String min, String max) {
    if (min == null && max == null) {
      return "channel head";
    }
    return (min == null ? "" : min) + ".." + (max == null ? "" : max);
  }

  private static String describe(Channel channel) {
    return range(channel.minVersion(), channel.maxVersion()) + (Boolean.TRUE.equals(channel.full()) ? ", full" : "")
        + (Boolean.TRUE.equals(channel.shortestPath()) ? ", shortest path" : "");
  }

  private static String describe(Operator operator) {
    return (Boolean.TRUE.equals(operator.full()) ? "full catalog" : "filtered")
        + (Boolean.TRUE.equals(operator.skipDependencies()) ? ", without dependencies" : "");
  }

  private static String describe(OperatorPackage pkg) {
    return range(pkg.minVersion(), pkg.maxVersion()) + (pkg.defaultChannel() == null ? "" : ", default channel " + pkg.defaultChannel());
  }

  private static String describe(PackageChannel channel) {
    return range(channel.minVersion(), channel.maxVersion());
  }

  private static String describe(AdditionalImage image) {
    return image.name() + (image.targetRepo() == null ? "" : " -> " + image.targetRepo())
        + (image.targetTag() == null ? "" : ":" + image.targetTag());
  }
}
