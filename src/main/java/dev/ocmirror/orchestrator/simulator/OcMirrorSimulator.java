package dev.ocmirror.orchestrator.simulator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ocmirror.orchestrator.integrity.Sha256;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's stand-in for {@code oc-mirror --v2}, for tests and the demo: the command line, exit codes, log
 * lines, working-dir, archive layout, history-based differential archives and the rule that diskToMirror reads
 * only its cache, as ../shared/reference/oc-mirror-v2-contract.md describes them, moving real images between
 * real registries. It mirrors {@code additionalImages} and the graph image ({@code platform.graph: true}).
 *
 * <p>Failure injection through the environment:
 * <ul>
 *   <li>{@code OC_MIRROR_SIMULATOR_FAIL_IMAGES}: comma-separated substrings; matching images fail with
 *       "simulated failure";</li>
 *   <li>{@code OC_MIRROR_SIMULATOR_CRASH_AFTER_IMAGES=N}: the process halts (exit 137) after N images;</li>
 *   <li>{@code OC_MIRROR_SIMULATOR_DELAY_PER_IMAGE_MS}: a pause per image, to watch a run in progress;</li>
 *   <li>{@code OC_MIRROR_SIMULATOR_LEGACY_EXIT_ZERO=true}: exit 0 despite failed images, as 4.17 does.</li>
 * </ul>
 *
 * <p>{@code OC_MIRROR_SIMULATOR_RELEASE=4.16} behaves as a 4.16 build does (contract section 9): every line on
 * stderr and no run log, no version line, progress blocks instead of per-image lines, 4.16's Results lines, exit 0
 * with failed images, an archive written even when images failed, old archives not deleted, an empty
 * {@code mirror_000001.tar} after a dry run, and {@code --cache-dir} and {@code --parallel-*} unknown.
 */
public final class OcMirrorSimulator {

  static final String VERSION = "4.20.0-simulator";
  static final String VERSION_416 = "4.16.0-simulator";
  private static final Set<String> UNKNOWN_TO_416 = Set.of("--cache-dir", "--parallel-images", "--parallel-layers");
  private static final List<String> RESERVED = List.of("cluster-resources", "dry-run", "graph-preparation", "helm",
      "hold-operator", "hold-release", "delete", "logs", "operator-catalogs", "release-images", "signatures");
  private static final Set<String> VALUE_FLAGS = Set.of("-c", "--config", "--cache-dir", "--workspace", "--from", "--since",
      "--authfile", "--log-level", "--parallel-images", "--parallel-layers", "--retry-times", "--retry-delay",
      "--image-timeout", "-p", "--port", "--max-nested-paths", "--policy", "--registries.d", "--rootless-storage-path");
  private static final Set<String> BOOLEAN_FLAGS = Set.of("--dry-run", "--dry-run-manifest-lists", "--strict-archive",
      "--remove-signatures", "--secure-policy", "--src-tls-verify", "--dest-tls-verify", "--ignore-release-signature");
  private static final Pattern ARCHIVE = Pattern.compile("mirror_[0-9]{6}\\.tar");
  private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");
  private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");
  private static final String GRAPH_REPOSITORY = "openshift/graph-image";

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private Writer logFile;
  private final long started = System.nanoTime();
  /** Behaves as a 4.16 build (contract section 9) rather than a current one. */
  private final boolean release416;

  OcMirrorSimulator(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.release416 = "4.16".equals(env.get("OC_MIRROR_SIMULATOR_RELEASE"));
  }

  /** The subcommand of the service's jar that runs the simulator (demo profile). */
  public static final String COMMAND = "simulate-oc-mirror";

  public static void main(String[] args) {
    int status = new OcMirrorSimulator(System.out, System.err, System.getenv()).run(args);
    System.out.flush();
    System.err.flush();
    System.exit(status);
  }

  private static final class Rejected extends Exception {
    final int status;

    Rejected(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  int run(String[] args) {
    try {
      return execute(args);
    } catch (Rejected rejected) {
      log("ERROR", "[Executor] " + rejected.getMessage());
      return rejected.status;
    } catch (IOException | RuntimeException e) {
      log("ERROR", "[Executor] " + e.getMessage());
      return 1;
    } finally {
      closeLog();
    }
  }

  private int execute(String[] args) throws Rejected, IOException {
    List<String> rest = new ArrayList<>(List.of(args));
    boolean v2 = rest.remove("--v2");
    boolean v1 = rest.remove("--v1");
    if (v1 == v2) {
      err.println("F" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMdd HH:mm:ss.SSSSSS"))
          + "       1 main.go:46] use of --v1 or --v2 is mandatory");
      return 255;
    }
    if (!rest.isEmpty() && rest.get(0).equals("version")) {
      out.println("{\"clientVersion\":{\"major\":\"" + (release416 ? "4" : "") + "\",\"minor\":\"" + (release416 ? "16" : "")
          + "\",\"gitVersion\":\"" + (release416 ? VERSION_416 : VERSION) + "\",\"gitCommit\":\"simulator\","
          + "\"gitTreeState\":\"clean\",\"buildDate\":\"2026-11-01T00:00:00Z\",\"goVersion\":\"go1.24\",\"compiler\":\"gc\","
          + "\"platform\":\"linux/amd64\"}}");
      return 0;
    }
    Map<String, String> flags = new HashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < rest.size(); i++) {
      String arg = rest.get(i);
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (release416 && UNKNOWN_TO_416.contains(name)) {
        err.println("Error: unknown flag: " + name);
        return 1;
      }
      if (VALUE_FLAGS.contains(name)) {
        String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : (i + 1 < rest.size() ? rest.get(++i) : null);
        if (value == null) {
          throw new Rejected(1, "flag needs an argument: " + name);
        }
        flags.put(name.equals("-c") ? "--config" : name.equals("-p") ? "--port" : name, value);
      } else if (BOOLEAN_FLAGS.contains(name)) {
        flags.put(name, arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "true");
      } else if (arg.startsWith("-")) {
        throw new Rejected(1, "unknown flag: " + arg);
      } else {
        positional.add(arg);
      }
    }
    err.println(line("INFO", "👋 Hello, welcome to oc-mirror"));
    err.println(line("INFO", "⚙️  setting up the environment for you..."));

    String config = flags.get("--config");
    if (config == null) {
      throw new Rejected(1, "use the --config flag it is mandatory");
    }
    if (positional.size() != 1) {
      throw new Rejected(1, "exactly one destination is needed (file://DIR or docker://REGISTRY)");
    }
    String destination = positional.get(0);
    String from = flags.get("--from");
    String workspace = flags.get("--workspace");
    if (destination.startsWith("file://")) {
      if (from != null) {
        throw new Rejected(1, "when destination is file://, mirrorToDisk workflow is assumed, and the --from argument is not needed");
      }
      if (workspace != null) {
        throw new Rejected(1, "when destination is file://, mirrorToDisk workflow is assumed, and the --workspace argument is not needed");
      }
    } else if (destination.startsWith("docker://")) {
      if ((from == null) == (workspace == null)) {
        throw new Rejected(1, "when destination is docker://, either --from (assumes disk to mirror workflow) or --workspace "
            + "(assumes mirror to mirror workflow) need to be provided");
      }
      if (from != null && !from.startsWith("file://")) {
        throw new Rejected(1, "when --from is used, it must have file:// prefix");
      }
      if (workspace != null) {
        throw new Rejected(1, "mirrorToMirror is not supported by the oc-mirror simulator");
      }
    } else {
      throw new Rejected(1, "destination must have either file:// (mirror to disk) or docker:// (mirror to mirror) protocol prefixes");
    }
    String directory = destination.startsWith("file://") ? destination.substring(7) : from.substring(7);
    for (String word : RESERVED) {
      if (directory.contains(word)) {
        throw new Rejected(1, "the destination " + directory + " contains an internal oc-mirror keyword " + word);
      }
    }
    LocalDate since = null;
    if (flags.containsKey("--since")) {
      try {
        since = LocalDate.parse(flags.get("--since"));
      } catch (DateTimeParseException e) {
        throw new Rejected(1, "--since flag needs to be in format yyyy-MM-dd");
      }
    }
    boolean dryRun = "true".equals(flags.get("--dry-run"));
    if (dryRun && "true".equals(flags.get("--dry-run-manifest-lists"))) {
      throw new Rejected(1, "--dry-run and --dry-run-manifest-lists cannot be used together");
    }
    for (String flag : List.of("--parallel-images", "--parallel-layers")) {
      if (flags.containsKey(flag)) {
        int value = Integer.parseInt(flags.get(flag));
        if (value < 1 || value > 10) {
          throw new Rejected(1, flag + " must be between 1 and 10");
        }
      }
    }
    if (flags.containsKey("--cache-dir") && env.containsKey("OC_MIRROR_CACHE")) {
      throw new Rejected(1, "OC_MIRROR_CACHE and --cache-dir are both set; use only one");
    }
    Path cacheDirectory = Path.of(flags.getOrDefault("--cache-dir", env.getOrDefault("OC_MIRROR_CACHE",
        env.getOrDefault("HOME", System.getProperty("user.home")))));
    int port = Integer.parseInt(flags.getOrDefault("--port", "55000"));
    String bind = env.getOrDefault("REGISTRY_HTTP_ADDR", "0.0.0.0:" + port);
    if (!bind.endsWith(":" + port)) {
      throw new Rejected(1, "REGISTRY_HTTP_ADDR " + bind + " does not match --port " + port);
    }
    Configuration isc = Configuration.load(Path.of(config));

    try (ServerSocket cacheRegistry = new ServerSocket()) {
      try {
        cacheRegistry.bind(new InetSocketAddress(InetAddress.getByName(bind.substring(0, bind.lastIndexOf(':'))), port));
      } catch (IOException e) {
        throw new Rejected(1, port + " is already bound and cannot be used");
      }
      Path dir = Path.of(directory);
      Path workingDir = dir.resolve("working-dir");
      prepareWorkingDir(workingDir, dryRun);
      SimulatorCache cache = new SimulatorCache(cacheDirectory);
      if (destination.startsWith("file://")) {
        return mirrorToDisk(dir, workingDir, cache, isc, Path.of(config), port, dryRun, since);
      }
      return diskToMirror(dir, workingDir, cache, cacheDirectory, isc, destination.substring(9), port, dryRun);
    }
  }

  private void prepareWorkingDir(Path workingDir, boolean dryRun) throws IOException {
    for (String sub : List.of("logs", ".history", "cluster-resources")) {
      Files.createDirectories(workingDir.resolve(sub));
    }
    if (!dryRun) {
      try (Stream<Path> old = Files.list(workingDir.resolve("cluster-resources"))) {
        for (Path file : old.toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
    if (release416) {
      Files.createDirectories(workingDir.resolve("info"));
      Files.writeString(workingDir.resolve("info/mode.txt"), "v2");
      return;
    }
    Files.createDirectories(workingDir.resolve("internal"));
    Files.writeString(workingDir.resolve("internal/oc-mirror-version.json"),
        "{\"gitVersion\":\"" + VERSION + "\",\"gitCommit\":\"simulator\"}");
    logFile = Files.newBufferedWriter(workingDir.resolve("logs/oc-mirror-" + LocalDateTime.now().format(FILE_TIME) + ".log"));
  }

  /** An image of the run, with everything copied for it (for the archive) or why it failed. */
  private record Copy(ImageReference image, List<String> digests, String failure) {
  }

  private int mirrorToDisk(Path dir, Path workingDir, SimulatorCache cache, Configuration isc, Path configFile, int port,
      boolean dryRun, LocalDate since) throws IOException, Rejected {
    log("INFO", "🔀 workflow mode: mirrorToDisk ");
    if (!dryRun && !release416) {
      try (Stream<Path> old = Files.list(dir)) {
        for (Path file : old.filter(p -> p.getFileName().toString().matches("mirror_.*\\.tar")).toList()) {
          Files.delete(file);
        }
      }
    }
    log("INFO", "🕵  going to discover the necessary images...");
    log("INFO", "🔍 collecting additional images...");
    List<ImageReference> images = isc.images();
    if (dryRun) {
      return dryRun(workingDir, cache, images, port);
    }
    log("INFO", "🚀 Start copying the images...");
    int total = images.size() + (isc.graph() ? 1 : 0);
    if (!release416) {
      log("INFO", "📌 images to copy " + total + " ");
    }
    List<Copy> copies = new ArrayList<>();
    if (isc.graph()) {
      copies.add(new Copy(ImageReference.parse("localhost/" + GRAPH_REPOSITORY + ":latest"), buildGraphImage(cache), null));
      copied(copies, total, "docker://localhost:" + port + "/" + GRAPH_REPOSITORY + ":latest", "cache");
    }
    for (ImageReference image : images) {
      Copy copy = pull(image, cache);
      copies.add(copy);
      copied(copies, total, "docker://" + image.original(), "cache");
    }
    int failed = results(copies, isc.graph());
    if (failed > 0 && !release416) {
      return failure(workingDir, copies);
    }
    log("INFO", "📦 Preparing the tarball archive...");
    String timestamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Set<String> history = history(workingDir.resolve(".history"), since);
    Set<String> added = new LinkedHashSet<>();
    for (Copy copy : copies) {
      for (String digest : copy.digests()) {
        if (!history.contains(digest)) {
          added.add(digest);
        }
      }
    }
    List<SimulatorArchive.Entry> entries = SimulatorArchive.entries(cache, added, workingDir, configFile, timestamp);
    SimulatorArchive.write(dir, entries, (long) isc.archiveSize() << 30, message -> log("WARN", message));
    Set<String> newHistory = new LinkedHashSet<>(history);
    newHistory.addAll(added);
    Path historyFile = workingDir.resolve(".history/.history-" + timestamp);
    for (int second = 1; Files.exists(historyFile); second++) {
      historyFile = workingDir.resolve(".history/.history-" + Instant.parse(timestamp).plusSeconds(second));
    }
    Files.writeString(historyFile, String.join("\n", newHistory) + "\n");
    if (failed > 0) {
      // 4.16 archives what it could and says so only in its Results and errors file.
      return failure(workingDir, copies);
    }
    return goodbye(0);
  }

  private int dryRun(Path workingDir, SimulatorCache cache, List<ImageReference> images, int port) throws IOException {
    Path dryRunDir = Files.createDirectories(workingDir.resolve("dry-run"));
    List<String> mapping = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (ImageReference image : images) {
      String line = "docker://" + image.original() + "=docker://localhost:" + port + "/" + image.path() + ":" + image.cacheTag();
      mapping.add(line);
      if (cache.tag(image.path(), image.cacheTag()).isEmpty()) {
        missing.add(line);
      }
    }
    Files.writeString(dryRunDir.resolve("mapping.txt"), String.join("\n", mapping) + "\n");
    if (release416 && workingDir.getParent() != null) {
      Files.write(workingDir.getParent().resolve("mirror_000001.tar"), new byte[0]);
    }
    log("INFO", "📄 list of all images for mirroring in : " + dryRunDir.resolve("mapping.txt"));
    if (missing.isEmpty()) {
      log("INFO", "all " + images.size() + " images required for mirroring are available in local cache. "
          + "You may proceed with mirroring from disk to disconnected registry");
    } else {
      Files.writeString(dryRunDir.resolve("missing.txt"), String.join("\n", missing) + "\n");
      log("WARN", "⚠️  " + missing.size() + "/" + images.size() + " images necessary for mirroring are not available in the cache.");
      log("WARN", "List of missing images in : " + dryRunDir.resolve("missing.txt"));
    }
    return goodbye(0);
  }

  private int diskToMirror(Path dir, Path workingDir, SimulatorCache cache, Path cacheDirectory, Configuration isc,
      String destination, int port, boolean dryRun) throws IOException, Rejected {
    log("INFO", "🔀 workflow mode: diskToMirror ");
    log("INFO", "📦 Extracting mirror archive(s)...");
    List<Path> archives;
    try (Stream<Path> files = Files.list(dir)) {
      archives = files.filter(p -> ARCHIVE.matcher(p.getFileName().toString()).find()).sorted().toList();
    }
    if (archives.isEmpty()) {
      throw new Rejected(1, "no tar archives matching \"mirror_[0-9]{6}\\.tar\" found in " + dir);
    }
    for (int i = 0; i < archives.size(); i++) {
      if (Files.size(archives.get(i)) == 0) {
        throw new Rejected(1, "empty archive file " + archives.get(i));
      }
      if (!release416) {
        log("INFO", "Extracting chunk file (" + (i + 1) + " / " + archives.size() + "): " + archives.get(i));
      }
      SimulatorArchive.extract(archives.get(i), dir, cacheDirectory);
    }
    log("INFO", "🕵  going to discover the necessary images...");
    if (isc.graph()) {
      log("INFO", "🔍 collecting release images...");
      Optional<String> graph = cache.tag(GRAPH_REPOSITORY, "latest");
      if (graph.isEmpty() || !cache.hasBlob(graph.get())) {
        log("ERROR", "[ReleaseImageCollector]  error processing graph image in local cache: reading manifest latest in localhost:"
            + port + "/" + GRAPH_REPOSITORY + ": manifest unknown");
        return goodbye(2);
      }
    }
    log("INFO", "🔍 collecting additional images...");
    List<ImageReference> images = isc.images();
    if (dryRun) {
      return dryRun(workingDir, cache, images, port);
    }
    String host = destination.contains("/") ? destination.substring(0, destination.indexOf('/')) : destination;
    String namespace = destination.contains("/") ? destination.substring(destination.indexOf('/') + 1) + "/" : "";
    RegistryClient target = new RegistryClient(host);
    log("INFO", "🚀 Start copying the images...");
    if (!release416) {
      log("INFO", "📌 images to copy " + images.size() + " ");
    }
    List<Copy> copies = new ArrayList<>();
    for (ImageReference image : images) {
      Copy copy = push(image, cache, target, namespace + image.path(), port);
      copies.add(copy);
      copied(copies, images.size(), image.original(), host + "/" + namespace);
    }
    int failed = results(copies, false);
    clusterResources(workingDir, copies, host + (namespace.isEmpty() ? "" : "/" + namespace.substring(0, namespace.length() - 1)));
    if (failed > 0) {
      return failure(workingDir, copies);
    }
    return goodbye(0);
  }

  private Copy pull(ImageReference image, SimulatorCache cache) {
    if (injectedFailure(image)) {
      return new Copy(image, List.of(), "simulated failure");
    }
    try {
      RegistryClient source = new RegistryClient(image.registry());
      Optional<RegistryClient.Manifest> top = source.manifest(image.path(), image.sourceReference());
      if (top.isEmpty()) {
        return new Copy(image, List.of(), "reading manifest " + image.sourceReference() + " in " + image.registry() + "/"
            + image.path() + ": manifest unknown");
      }
      List<String> digests = new ArrayList<>();
      List<RegistryClient.Manifest> manifests = new ArrayList<>(List.of(top.get()));
      JsonNode topJson = new ObjectMapper().readTree(top.get().content());
      for (JsonNode child : topJson.path("manifests")) {
        manifests.add(source.manifest(image.path(), child.path("digest").asText())
            .orElseThrow(() -> new IOException("manifest unknown: " + child.path("digest").asText())));
      }
      for (RegistryClient.Manifest manifest : manifests) {
        cache.putBlob(manifest.digest(), manifest.content());
        cache.linkManifest(image.path(), manifest.digest());
        digests.add(manifest.digest());
        for (String blob : blobsOf(manifest.content())) {
          if (!cache.hasBlob(blob)) {
            cache.putBlob(blob, source.blob(image.path(), blob).orElseThrow(() -> new IOException("blob unknown to registry: " + blob)));
          }
          cache.linkLayer(image.path(), blob);
          digests.add(blob);
        }
      }
      cache.linkTag(image.path(), image.cacheTag(), top.get().digest());
      return new Copy(image, digests, null);
    } catch (IOException e) {
      return new Copy(image, List.of(), e.getMessage());
    }
  }

  /** Reads the image from the cache only (diskToMirror never contacts the source) and pushes it. */
  private Copy push(ImageReference image, SimulatorCache cache, RegistryClient target, String repository, int port) {
    if (injectedFailure(image)) {
      return new Copy(image, List.of(), "simulated failure");
    }
    try {
      Optional<String> top = cache.tag(image.path(), image.cacheTag());
      Optional<byte[]> topContent = top.isPresent() ? cache.blob(top.get()) : Optional.empty();
      if (topContent.isEmpty()) {
        return new Copy(image, List.of(), "reading manifest " + image.cacheTag() + " in localhost:" + port + "/" + image.path()
            + ": manifest unknown");
      }
      List<RegistryClient.Manifest> children = new ArrayList<>();
      JsonNode topJson = new ObjectMapper().readTree(topContent.get());
      for (JsonNode child : topJson.path("manifests")) {
        String digest = child.path("digest").asText();
        byte[] content = cache.blob(digest).orElse(null);
        if (content == null) {
          return new Copy(image, List.of(), "reading manifest " + digest + " in localhost:" + port + "/" + image.path()
              + ": manifest unknown");
        }
        children.add(new RegistryClient.Manifest(content, child.path("mediaType").asText(), digest));
      }
      List<RegistryClient.Manifest> manifests = new ArrayList<>(children);
      if (children.isEmpty()) {
        manifests.add(new RegistryClient.Manifest(topContent.get(), mediaType(topJson), top.get()));
      }
      for (RegistryClient.Manifest manifest : manifests) {
        for (String blob : blobsOf(manifest.content())) {
          if (!cache.hasBlob(blob)) {
            return new Copy(image, List.of(), "writing blob: initiating layer upload to /v2/" + repository
                + "/blobs/uploads/ in localhost:" + port + ": blob unknown to registry");
          }
        }
      }
      for (RegistryClient.Manifest manifest : manifests) {
        for (String blob : blobsOf(manifest.content())) {
          target.putBlob(repository, blob, cache.blob(blob).orElseThrow());
        }
        if (!children.isEmpty()) {
          target.putManifest(repository, manifest.digest(), manifest);
        }
      }
      target.putManifest(repository, image.destinationTag(),
          new RegistryClient.Manifest(topContent.get(), mediaType(topJson), top.get()));
      return new Copy(image, List.of(top.get()), null);
    } catch (IOException e) {
      return new Copy(image, List.of(), e.getMessage());
    }
  }

  private static String mediaType(JsonNode manifest) {
    String type = manifest.path("mediaType").asText();
    if (!type.isEmpty()) {
      return type;
    }
    return manifest.has("manifests") ? "application/vnd.oci.image.index.v1+json" : "application/vnd.oci.image.manifest.v1+json";
  }

  private static List<String> blobsOf(byte[] manifest) throws IOException {
    JsonNode json = new ObjectMapper().readTree(manifest);
    List<String> blobs = new ArrayList<>();
    if (json.path("config").has("digest")) {
      blobs.add(json.path("config").path("digest").asText());
    }
    json.path("layers").forEach(layer -> blobs.add(layer.path("digest").asText()));
    return blobs;
  }

  /** The graph image oc-mirror builds from the Cincinnati graph data; here a fixed small image. */
  private static List<String> buildGraphImage(SimulatorCache cache) throws IOException {
    byte[] layer = "cincinnati-graph-data (simulated)".getBytes(StandardCharsets.UTF_8);
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/sh\"]}}".getBytes(StandardCharsets.UTF_8);
    String layerDigest = "sha256:" + Sha256.hex(layer);
    String configDigest = "sha256:" + Sha256.hex(config);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
        + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length
        + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layerDigest + "\",\"size\":"
        + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
    String manifestDigest = "sha256:" + Sha256.hex(manifest);
    cache.putBlob(layerDigest, layer);
    cache.putBlob(configDigest, config);
    cache.putBlob(manifestDigest, manifest);
    cache.linkLayer(GRAPH_REPOSITORY, layerDigest);
    cache.linkLayer(GRAPH_REPOSITORY, configDigest);
    cache.linkManifest(GRAPH_REPOSITORY, manifestDigest);
    cache.linkTag(GRAPH_REPOSITORY, "latest", manifestDigest);
    return List.of(manifestDigest, configDigest, layerDigest);
  }

  private boolean injectedFailure(ImageReference image) {
    String failing = env.getOrDefault("OC_MIRROR_SIMULATOR_FAIL_IMAGES", "");
    return !failing.isBlank() && Stream.of(failing.split(",")).map(String::trim)
        .anyMatch(part -> !part.isEmpty() && image.original().contains(part));
  }

  private void afterImage(int done) {
    long delay = Long.parseLong(env.getOrDefault("OC_MIRROR_SIMULATOR_DELAY_PER_IMAGE_MS", "0"));
    if (delay > 0) {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String crash = env.get("OC_MIRROR_SIMULATOR_CRASH_AFTER_IMAGES");
    if (crash != null && done >= Integer.parseInt(crash)) {
      out.flush();
      closeLog();
      Runtime.getRuntime().halt(137);
    }
  }

  /** What oc-mirror prints as each image is done: a line per image, or 4.16's progress block. */
  private void copied(List<Copy> copies, int total, String image, String to) {
    Copy last = copies.get(copies.size() - 1);
    if (release416) {
      long errors = copies.stream().filter(c -> c.failure() != null).count();
      if (last.failure() != null) {
        log("ERROR", "[Worker] error mirroring image " + image + " error: " + last.failure());
      }
      String count = copies.size() + " / " + total + (errors > 0 ? " (" + errors + " errors)" : "");
      log("INFO", "=== Overall Progress -  image " + count + (errors > 0 ? "===" : " ==="));
      log("INFO", " additional image " + count);
      log("INFO", " image: " + image);
      log("INFO", "=================================================");
    } else if (last.failure() == null) {
      log("INFO", "Success copying " + image.replaceFirst("^docker://", "") + " ➡️ " + to);
    } else {
      log("ERROR", "Failed to copy generic " + image.replaceFirst("^docker://", ""));
    }
    afterImage(copies.size());
  }

  private int results(List<Copy> copies, boolean graph) {
    log("INFO", "=== Results ===");
    if (graph) {
      log("INFO", release416 ? "All release images mirrored successfully 1 / 1 ✅" : " ✓  1 / 1 release images mirrored successfully");
    }
    List<Copy> additional = copies.stream().filter(c -> !c.image().path().equals(GRAPH_REPOSITORY)).toList();
    long ok = additional.stream().filter(c -> c.failure() == null).count();
    if (!additional.isEmpty()) {
      if (ok == additional.size()) {
        log("INFO", release416 ? "All additional images mirrored successfully " + ok + " / " + additional.size() + " ✅"
            : " ✓  " + ok + " / " + additional.size() + " additional images mirrored successfully");
      } else {
        log("INFO", release416 ? "Images mirrored " + ok + " / " + additional.size()
            + ": Some additional images failed to mirror ❌ - please check the logs"
            : " ✗  " + ok + " / " + additional.size()
                + " additional images mirrored: Some additional images failed to be mirrored - please check the logs");
      }
    }
    return (int) (additional.size() - ok);
  }

  private int failure(Path workingDir, List<Copy> copies) throws IOException {
    Path errors = workingDir.resolve("logs/mirroring_errors_" + LocalDateTime.now().format(FILE_TIME) + ".txt");
    StringBuilder text = new StringBuilder();
    for (Copy copy : copies) {
      if (copy.failure() != null) {
        if (!release416) {
          log("ERROR", "[Worker] error mirroring image " + copy.image().original() + " error: " + copy.failure());
        }
        text.append("error mirroring image ").append(copy.image().original()).append(" error: ").append(copy.failure()).append('\n');
      }
    }
    Files.writeString(errors, text.toString());
    if (release416) {
      log("WARN", "some errors occurred during the mirroring.");
      log("WARN", "\t Please review " + errors + " for a list of mirroring errors.");
      return goodbye(0);
    }
    log("ERROR", "[Executor] [Worker] some errors occurred during the mirroring.");
    log("ERROR", "\t Please review " + errors + " for a list of mirroring errors.");
    boolean legacy = "true".equals(env.get("OC_MIRROR_SIMULATOR_LEGACY_EXIT_ZERO"));
    return goodbye(legacy ? 0 : 8);
  }

  private void clusterResources(Path workingDir, List<Copy> copies, String mirror) throws IOException {
    log("INFO", "📄 Generating cluster resources...");
    Map<String, String> tagScopes = new TreeMap<>();
    Map<String, String> digestScopes = new TreeMap<>();
    for (Copy copy : copies) {
      if (copy.failure() != null) {
        continue;
      }
      ImageReference image = copy.image();
      String source = image.registry() + (image.namespace().isEmpty() ? "" : "/" + image.namespace());
      String target = mirror + (image.namespace().isEmpty() ? "" : "/" + image.namespace());
      (image.digest() != null ? digestScopes : tagScopes).put(source, target);
    }
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    writeMirrorSet(workingDir.resolve("cluster-resources/itms-oc-mirror.yaml"), "ImageTagMirrorSet", "itms-generic-0",
        "imageTagMirrors", tagScopes, now);
    writeMirrorSet(workingDir.resolve("cluster-resources/idms-oc-mirror.yaml"), "ImageDigestMirrorSet", "idms-generic-0",
        "imageDigestMirrors", digestScopes, now);
  }

  private void writeMirrorSet(Path file, String kind, String name, String listKey, Map<String, String> scopes, String now)
      throws IOException {
    if (scopes.isEmpty()) {
      return;
    }
    String annotations = release416 ? "" : "  annotations:\n    createdAt: \"" + now + "\"\n    createdBy: oc-mirror v2\n"
        + "    oc-mirror_version: " + VERSION + "\n";
    StringBuilder yaml = new StringBuilder("---\napiVersion: config.openshift.io/v1\nkind: " + kind + "\nmetadata:\n"
        + annotations + "  name: " + name + "\nspec:\n  " + listKey + ":\n");
    scopes.forEach((source, target) -> yaml.append("  - mirrors:\n    - ").append(target).append("\n    source: ").append(source).append('\n'));
    Files.writeString(file, yaml.toString());
    log("INFO", file + " file created");
  }

  private static Set<String> history(Path historyDir, LocalDate since) throws IOException {
    TreeMap<String, Path> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(historyDir)) {
      list.filter(p -> p.getFileName().toString().startsWith(".history-"))
          .forEach(p -> files.put(p.getFileName().toString().substring(".history-".length()), p));
    }
    if (since != null) {
      String limit = since.atStartOfDay().toInstant(ZoneOffset.UTC).toString();
      files.tailMap(limit, true).clear();
    }
    if (files.isEmpty()) {
      return new LinkedHashSet<>();
    }
    Set<String> digests = new LinkedHashSet<>();
    for (String line : Files.readAllLines(files.lastEntry().getValue())) {
      if (!line.isBlank()) {
        digests.add(line.trim());
      }
    }
    return digests;
  }

  private int goodbye(int status) {
    double seconds = (System.nanoTime() - started) / 1e9;
    log("INFO", String.format("mirror time     : %.3fs", seconds));
    log("INFO", "👋 Goodbye, thank you for using oc-mirror");
    return status;
  }

  private String line(String level, String message) {
    return LocalDateTime.now().format(LOG_TIME) + "  " + String.format("%-9s", "[" + level + "]") + ": " + message;
  }

  private void log(String level, String message) {
    String text = line(level, message);
    if (logFile == null || release416) {
      err.println(text);
      return;
    }
    out.println(text);
    try {
      logFile.write(text + "\n");
      logFile.flush();
    } catch (IOException ignored) {
      // The run log is a copy of stdout; stdout still has the line.
    }
  }

  private void closeLog() {
    if (logFile != null) {
      try {
        logFile.close();
      } catch (IOException ignored) {
        // Nothing more can be written to it.
      }
      logFile = null;
    }
  }

  /** The parts of an ImageSetConfiguration the simulator acts on, loaded as strictly as oc-mirror loads it. */
  record Configuration(List<ImageReference> images, boolean graph, int archiveSize) {

    private static final Set<String> TOP = Set.of("kind", "apiVersion", "mirror", "archiveSize");
    private static final Set<String> MIRROR = Set.of("platform", "operators", "additionalImages", "helm", "blockedImages", "samples");

    static Configuration load(Path file) throws Rejected, IOException {
      ObjectMapper yaml = new ObjectMapper(new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
      JsonNode root;
      try {
        root = yaml.readTree(file.toFile());
      } catch (IOException e) {
        throw new Rejected(1, "decode ImageSetConfiguration: " + e.getMessage().lines().findFirst().orElse(""));
      }
      if (root == null || !root.isObject()) {
        throw new Rejected(1, "decode ImageSetConfiguration: not a YAML mapping");
      }
      for (var names = root.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!TOP.contains(name)) {
          throw new Rejected(1, "decode ImageSetConfiguration: json: unknown field \"" + name + "\"");
        }
      }
      if (!"ImageSetConfiguration".equals(root.path("kind").asText())) {
        throw new Rejected(1, "config kind must be ImageSetConfiguration, found \"" + root.path("kind").asText() + "\"");
      }
      JsonNode mirror = root.path("mirror");
      if (!mirror.isObject()) {
        throw new Rejected(1, "invalid configuration: mirror is mandatory");
      }
      for (var names = mirror.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!MIRROR.contains(name)) {
          throw new Rejected(1, "decode ImageSetConfiguration: json: unknown field \"" + name + "\"");
        }
      }
      if (mirror.path("operators").size() > 0 || mirror.path("platform").path("channels").size() > 0
          || mirror.path("helm").size() > 0) {
        throw new Rejected(1, "the oc-mirror simulator supports additionalImages and graph only");
      }
      List<Pattern> blocked = new ArrayList<>();
      mirror.path("blockedImages").forEach(entry -> blocked.add(Pattern.compile(entry.path("name").asText())));
      Map<String, ImageReference> images = new LinkedHashMap<>();
      for (JsonNode entry : mirror.path("additionalImages")) {
        String name = entry.path("name").asText();
        if (name.isEmpty()) {
          throw new Rejected(1, "invalid configuration: additionalImages entries need a name");
        }
        if (blocked.stream().noneMatch(pattern -> pattern.matcher(name).find())) {
          images.put(name, ImageReference.parse(name));
        }
      }
      return new Configuration(List.copyOf(images.values()), mirror.path("platform").path("graph").asBoolean(false),
          root.path("archiveSize").asInt(500));
    }
  }
}
