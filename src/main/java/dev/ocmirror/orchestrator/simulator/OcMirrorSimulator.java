package dev.ocmirror.orchestrator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * real registries. It mirrors what sites mirror: release channels (the update graph from
 * {@code UPDATE_URL_OVERRIDE}, each release's payload components and its signature from {@code OCP_SIGNATURE_URL}),
 * the graph image, operator catalogs filtered by package, channel and version and rebuilt, and additional images;
 * diskToMirror writes the cluster resources for them. Helm and mirrorToMirror are refused as not modelled.
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
  static final String GRAPH_REPOSITORY = "openshift/graph-image";
  private static final ObjectMapper JSON = new ObjectMapper();

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
    SimulatorConfiguration isc;
    try {
      isc = SimulatorConfiguration.load(Path.of(config));
    } catch (SimulatorConfiguration.Refused refused) {
      throw new Rejected(1, refused.getMessage());
    }

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
        return mirrorToDisk(dir, workingDir, cache, isc, Path.of(config), port, dryRun, since,
            "true".equals(flags.get("--ignore-release-signature")));
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

  /** oc-mirror's image categories: the word of its Results lines, the exit bit, the collector that names errors. */
  enum Kind {
    RELEASE("release", 2, "[ReleaseImageCollector]", "release"),
    OPERATOR("operator", 4, "[OperatorImageCollector]", "operator"),
    ADDITIONAL("additional", 8, "[AdditionalImagesCollector]", "generic");

    final String word;
    final int bit;
    final String collector;
    final String category;

    Kind(String word, int bit, String collector, String category) {
      this.word = word;
      this.bit = bit;
      this.collector = collector;
      this.category = category;
    }
  }

  enum Role { IMAGE, GRAPH, CATALOG }

  /**
   * One image of the run: where it comes from, what the cache and the destination call it, and the scope its
   * mirror set gets (the source prefix and the path under the destination that replace each other).
   */
  record MirrorImage(Kind kind, Role role, String origin, ImageReference source, String cachePath, String cacheTag,
      String destinationTag, boolean byDigest, String scopeSource, String scopeTarget) {

    /** An image that keeps its path minus the registry host (additional images, bundles, related images). */
    static MirrorImage plain(Kind kind, String name) {
      ImageReference image = ImageReference.parse(name);
      String namespace = image.namespace();
      return new MirrorImage(kind, Role.IMAGE, name, image, image.path(), image.cacheTag(), image.destinationTag(),
          image.digest() != null, image.registry() + (namespace.isEmpty() ? "" : "/" + namespace), namespace);
    }
  }

  /** An image of the run, with everything copied for it (for the archive) or why it failed. */
  private record Copy(MirrorImage image, List<String> digests, String failure) {
  }

  /** What a run mirrors, as collected: every image, the releases, and each catalog's selection. */
  private record Plan(List<MirrorImage> images, List<Releases.Release> releases,
      Map<String, OperatorCatalog.Selection> selections, List<SimulatorConfiguration.Catalog> catalogs) {
  }

  /** Collection failed for one kind of content: nothing is copied, and the exit status carries its bit. */
  private static final class CollectionError extends Exception {
    final Kind kind;

    CollectionError(Kind kind, String message) {
      super(message);
      this.kind = kind;
    }
  }

  private int mirrorToDisk(Path dir, Path workingDir, SimulatorCache cache, SimulatorConfiguration isc, Path configFile, int port,
      boolean dryRun, LocalDate since, boolean ignoreSignatures) throws IOException {
    log("INFO", "🔀 workflow mode: mirrorToDisk ");
    if (!dryRun && !release416) {
      try (Stream<Path> old = Files.list(dir)) {
        for (Path file : old.filter(p -> p.getFileName().toString().matches("mirror_.*\\.tar")).toList()) {
          Files.delete(file);
        }
      }
    }
    log("INFO", "🕵  going to discover the necessary images...");
    Plan plan;
    try {
      plan = collectFromSources(isc, workingDir, ignoreSignatures);
    } catch (CollectionError error) {
      log("ERROR", error.kind.collector + " " + error.getMessage());
      return goodbye(error.kind.bit);
    }
    if (dryRun) {
      return dryRun(workingDir, cache, plan.images(), port);
    }
    log("INFO", "🚀 Start copying the images...");
    if (!release416) {
      log("INFO", "📌 images to copy " + plan.images().size() + " ");
    }
    List<Copy> copies = new ArrayList<>();
    for (MirrorImage image : plan.images()) {
      Copy copy = switch (image.role()) {
        case GRAPH -> new Copy(image, buildGraphImage(cache), null);
        case CATALOG -> pullCatalog(image, cache, plan.selections().get(image.origin()));
        case IMAGE -> pull(image, cache);
      };
      copies.add(copy);
      copied(copies, plan.images().size(), image.role() == Role.GRAPH ? "docker://localhost:" + port + "/" + image.cachePath()
          + ":" + image.cacheTag() : "docker://" + image.origin(), "cache");
    }
    Set<Kind> failed = results(copies);
    if (!failed.isEmpty() && !release416) {
      return failure(workingDir, copies, failed);
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
    if (!failed.isEmpty()) {
      // 4.16 archives what it could and says so only in its Results and errors file.
      return failure(workingDir, copies, failed);
    }
    return goodbye(0);
  }

  /**
   * mirrorToDisk's collection, from the sources: each channel's releases from the update graph with their payloads'
   * components and signatures, the graph image, each catalog's selection, the additional images. What d2m needs to
   * know without network goes into working-dir (release filters, signatures), which travels in the archive.
   */
  private Plan collectFromSources(SimulatorConfiguration isc, Path workingDir, boolean ignoreSignatures)
      throws CollectionError, IOException {
    List<MirrorImage> images = new ArrayList<>();
    List<Releases.Release> releases = List.of();
    if (!isc.channels().isEmpty()) {
      log("INFO", "🔍 collecting release images...");
      try {
        releases = Releases.resolve(isc.channels(), isc.architectures(), env.get("UPDATE_URL_OVERRIDE"));
        Path signatures = Files.createDirectories(workingDir.resolve("signatures"));
        for (Releases.Release release : releases) {
          ImageReference payload = release.payloadImage();
          RegistryClient source = new RegistryClient(payload.registry());
          RegistryClient.Manifest manifest = source.manifest(payload.path(), payload.digest()).orElseThrow(() ->
              new Releases.CollectionFailed("reading manifest " + payload.digest() + " in " + payload.registry() + "/"
                  + payload.path() + ": manifest unknown"));
          Map<String, byte[]> files = imageFiles(manifest.content(), digest -> source.blob(payload.path(), digest)
              .orElseThrow(() -> new IOException("blob unknown to registry: " + digest))).files();
          images.addAll(releaseImages(release, Releases.components(files)));
          if (!ignoreSignatures) {
            byte[] signature = Releases.signature(env.get("OCP_SIGNATURE_URL"), payload.digest());
            Files.write(signatures.resolve(release.tag() + "-" + payload.digest().replace(':', '-')), signature);
          }
          log("INFO", "Success collecting release " + release.version());
        }
        Path filters = Files.createDirectories(workingDir.resolve("release-filters"));
        Files.write(filters.resolve(Sha256.hex(isc.channels().toString().getBytes(StandardCharsets.UTF_8)).substring(0, 32)),
            Releases.filterFile(releases));
      } catch (Releases.CollectionFailed | IOException e) {
        throw new CollectionError(Kind.RELEASE, e.getMessage());
      }
    }
    if (isc.graph()) {
      images.add(graphImage());
    }
    Map<String, OperatorCatalog.Selection> selections = new LinkedHashMap<>();
    if (!isc.catalogs().isEmpty()) {
      log("INFO", "🔍 collecting operator images...");
      for (SimulatorConfiguration.Catalog catalog : isc.catalogs()) {
        try {
          ImageReference image = catalog.image();
          RegistryClient source = new RegistryClient(image.registry());
          RegistryClient.Manifest manifest = source.manifest(image.path(), image.sourceReference()).orElseThrow(() ->
              new Releases.CollectionFailed("reading manifest " + image.sourceReference() + " in " + image.registry() + "/"
                  + image.path() + ": manifest unknown"));
          ImageFiles files = imageFiles(manifest.content(), digest -> source.blob(image.path(), digest)
              .orElseThrow(() -> new IOException("blob unknown to registry: " + digest)));
          OperatorCatalog.Selection selection = OperatorCatalog.read(files.configs()).select(catalog);
          log("INFO", "Rebuilding catalog " + image.original());
          selections.put(image.original(), selection);
          images.addAll(catalogImages(catalog, selection));
        } catch (Releases.CollectionFailed | IOException e) {
          throw new CollectionError(Kind.OPERATOR, e.getMessage());
        }
      }
    }
    return withAdditionalImages(isc, images, releases, selections);
  }

  /**
   * diskToMirror's collection, from the cache and working-dir only (it never contacts a source): the releases m2d
   * recorded, their payloads from the cached release images, each cached (rebuilt) catalog's selection, the
   * additional images. A release or the graph image missing from the cache is fatal, as with the real tool.
   */
  private Plan collectFromCache(SimulatorConfiguration isc, Path workingDir, SimulatorCache cache, int port)
      throws CollectionError, IOException {
    List<MirrorImage> images = new ArrayList<>();
    List<Releases.Release> releases = new ArrayList<>();
    if (!isc.channels().isEmpty() || isc.graph()) {
      log("INFO", "🔍 collecting release images...");
    }
    if (!isc.channels().isEmpty()) {
      try {
        Path filters = workingDir.resolve("release-filters");
        if (Files.isDirectory(filters)) {
          try (Stream<Path> files = Files.list(filters)) {
            for (Path file : files.sorted().toList()) {
              Releases.readFilterFile(Files.readAllBytes(file)).stream()
                  .filter(release -> releases.stream().noneMatch(known -> known.tag().equals(release.tag())))
                  .forEach(releases::add);
            }
          }
        }
        if (releases.isEmpty()) {
          throw new Releases.CollectionFailed("no release collected by mirrorToDisk is in " + filters);
        }
        for (Releases.Release release : releases) {
          String missing = "reading manifest " + release.tag() + " in localhost:" + port + "/" + Releases.RELEASE_REPOSITORY
              + ": manifest unknown";
          String digest = cache.tag(Releases.RELEASE_REPOSITORY, release.tag())
              .orElseThrow(() -> new Releases.CollectionFailed(missing));
          byte[] manifest = cache.blob(digest).orElseThrow(() -> new Releases.CollectionFailed(missing));
          Map<String, byte[]> files = imageFiles(manifest, blob -> cache.blob(blob)
              .orElseThrow(() -> new IOException("blob unknown to registry: " + blob))).files();
          images.addAll(releaseImages(release, Releases.components(files)));
        }
      } catch (Releases.CollectionFailed e) {
        throw new CollectionError(Kind.RELEASE, e.getMessage());
      }
    }
    if (isc.graph()) {
      Optional<String> graph = cache.tag(GRAPH_REPOSITORY, "latest");
      if (graph.isEmpty() || !cache.hasBlob(graph.get())) {
        throw new CollectionError(Kind.RELEASE, " error processing graph image in local cache: reading manifest latest in "
            + "localhost:" + port + "/" + GRAPH_REPOSITORY + ": manifest unknown");
      }
      images.add(graphImage());
    }
    Map<String, OperatorCatalog.Selection> selections = new LinkedHashMap<>();
    if (!isc.catalogs().isEmpty()) {
      log("INFO", "🔍 collecting operator images...");
      for (SimulatorConfiguration.Catalog catalog : isc.catalogs()) {
        ImageReference image = catalog.image();
        String missing = "reading manifest " + image.cacheTag() + " in localhost:" + port + "/" + image.path()
            + ": manifest unknown";
        try {
          String digest = cache.tag(image.path(), image.cacheTag()).orElseThrow(() -> new Releases.CollectionFailed(missing));
          byte[] manifest = cache.blob(digest).orElseThrow(() -> new Releases.CollectionFailed(missing));
          ImageFiles files = imageFiles(manifest, blob -> cache.blob(blob)
              .orElseThrow(() -> new IOException("blob unknown to registry: " + blob)));
          OperatorCatalog.Selection selection = OperatorCatalog.read(files.configs()).select(catalog);
          selections.put(image.original(), selection);
          images.addAll(catalogImages(catalog, selection));
        } catch (Releases.CollectionFailed | IOException e) {
          throw new CollectionError(Kind.OPERATOR, e.getMessage());
        }
      }
    }
    return withAdditionalImages(isc, images, releases, selections);
  }

  /** Both workflows collect the additional images last, as oc-mirror does, and drop what the configuration blocks. */
  private Plan withAdditionalImages(SimulatorConfiguration isc, List<MirrorImage> images, List<Releases.Release> releases,
      Map<String, OperatorCatalog.Selection> selections) {
    if (!isc.additional().isEmpty()) {
      log("INFO", "🔍 collecting additional images...");
    }
    isc.additional().forEach(image -> images.add(MirrorImage.plain(Kind.ADDITIONAL, image.original())));
    return new Plan(unblocked(isc, images), releases, selections, isc.catalogs());
  }

  private static List<MirrorImage> unblocked(SimulatorConfiguration isc, List<MirrorImage> images) {
    Map<String, MirrorImage> unique = new LinkedHashMap<>();
    images.stream().filter(image -> !isc.isBlocked(image.origin()))
        .forEach(image -> unique.putIfAbsent(image.cachePath() + ":" + image.cacheTag(), image));
    return List.copyOf(unique.values());
  }

  /** A release image and its components, under the names oc-mirror gives them in the cache and the destination. */
  private static List<MirrorImage> releaseImages(Releases.Release release, Map<String, String> components) {
    List<MirrorImage> images = new ArrayList<>();
    ImageReference payload = release.payloadImage();
    images.add(new MirrorImage(Kind.RELEASE, Role.IMAGE, release.payload(), payload, Releases.RELEASE_REPOSITORY,
        release.tag(), release.tag(), true, payload.registry() + "/" + payload.path(), Releases.RELEASE_REPOSITORY));
    components.forEach((name, reference) -> {
      ImageReference component = ImageReference.parse(reference);
      images.add(new MirrorImage(Kind.RELEASE, Role.IMAGE, reference, component, Releases.COMPONENT_REPOSITORY,
          release.tag() + "-" + name, release.tag() + "-" + name, true, component.registry() + "/" + component.path(),
          Releases.COMPONENT_REPOSITORY));
    });
    return images;
  }

  private static MirrorImage graphImage() {
    return new MirrorImage(Kind.RELEASE, Role.GRAPH, GRAPH_REPOSITORY + ":latest", null, GRAPH_REPOSITORY, "latest", "latest",
        false, null, null);
  }

  /** The catalog (rebuilt, under its own name and tag) and every bundle and related image it selects. */
  private static List<MirrorImage> catalogImages(SimulatorConfiguration.Catalog catalog, OperatorCatalog.Selection selection) {
    List<MirrorImage> images = new ArrayList<>();
    ImageReference image = catalog.image();
    images.add(new MirrorImage(Kind.OPERATOR, Role.CATALOG, image.original(), image, image.path(), image.cacheTag(),
        image.destinationTag(), false, null, null));
    selection.images().forEach(name -> images.add(MirrorImage.plain(Kind.OPERATOR, name)));
    return images;
  }

  /** An image's config labels and the regular files of all its layers, later layers winning. */
  private record ImageFiles(Map<String, String> labels, Map<String, byte[]> files, Map<String, byte[]> configs,
      List<String> configLayers) {
  }

  @FunctionalInterface
  private interface BlobReader {
    byte[] read(String digest) throws IOException;
  }

  private static ImageFiles imageFiles(byte[] manifest, BlobReader blobs) throws IOException {
    JsonNode json = JSON.readTree(manifest);
    Map<String, String> labels = new LinkedHashMap<>();
    JSON.readTree(blobs.read(json.path("config").path("digest").asText())).path("config").path("Labels").fields()
        .forEachRemaining(label -> labels.put(label.getKey(), label.getValue().asText()));
    String configsDir = labels.getOrDefault(OperatorCatalog.CONFIGS_LABEL, "/configs").replaceFirst("^/", "")
        .replaceFirst("/?$", "/");
    Map<String, byte[]> files = new LinkedHashMap<>();
    Map<String, byte[]> configs = new LinkedHashMap<>();
    List<String> configLayers = new ArrayList<>();
    for (JsonNode layer : json.path("layers")) {
      String digest = layer.path("digest").asText();
      Map<String, byte[]> layerFiles = Layers.files(blobs.read(digest));
      files.putAll(layerFiles);
      layerFiles.forEach((path, content) -> {
        if (path.startsWith(configsDir)) {
          configs.put(path, content);
          if (!configLayers.contains(digest)) {
            configLayers.add(digest);
          }
        }
      });
    }
    return new ImageFiles(labels, files, configs, configLayers);
  }

  private int dryRun(Path workingDir, SimulatorCache cache, List<MirrorImage> images, int port) throws IOException {
    Path dryRunDir = Files.createDirectories(workingDir.resolve("dry-run"));
    List<String> mapping = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (MirrorImage image : images) {
      String line = "docker://" + (image.role() == Role.GRAPH ? "localhost:" + port + "/" + image.origin() : image.origin())
          + "=docker://localhost:" + port + "/" + image.cachePath() + ":" + image.cacheTag();
      mapping.add(line);
      if (cache.tag(image.cachePath(), image.cacheTag()).isEmpty()) {
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

  private int diskToMirror(Path dir, Path workingDir, SimulatorCache cache, Path cacheDirectory, SimulatorConfiguration isc,
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
    Plan plan;
    try {
      plan = collectFromCache(isc, workingDir, cache, port);
    } catch (CollectionError error) {
      log("ERROR", error.kind.collector + " " + error.getMessage());
      return goodbye(error.kind.bit);
    }
    if (dryRun) {
      return dryRun(workingDir, cache, plan.images(), port);
    }
    String host = destination.contains("/") ? destination.substring(0, destination.indexOf('/')) : destination;
    String namespace = destination.contains("/") ? destination.substring(destination.indexOf('/') + 1) + "/" : "";
    RegistryClient target = new RegistryClient(host);
    log("INFO", "🚀 Start copying the images...");
    if (!release416) {
      log("INFO", "📌 images to copy " + plan.images().size() + " ");
    }
    List<Copy> copies = new ArrayList<>();
    for (MirrorImage image : plan.images()) {
      Copy copy = push(image, cache, target, namespace + image.cachePath(), port);
      copies.add(copy);
      copied(copies, plan.images().size(), image.role() == Role.GRAPH ? "localhost:" + port + "/" + image.origin()
          : image.origin(), host + "/" + namespace);
    }
    Set<Kind> failed = results(copies);
    new ClusterResources(workingDir.resolve("cluster-resources"), release416 ? null : VERSION, message -> log("INFO", message))
        .write(copies.stream().filter(copy -> copy.failure() == null).map(Copy::image).toList(), plan.catalogs(),
            plan.releases(), workingDir.resolve("signatures"),
            host + (namespace.isEmpty() ? "" : "/" + namespace.substring(0, namespace.length() - 1)));
    if (!failed.isEmpty()) {
      return failure(workingDir, copies, failed);
    }
    return goodbye(0);
  }

  private Copy pull(MirrorImage mirrored, SimulatorCache cache) {
    ImageReference image = mirrored.source();
    if (injectedFailure(mirrored.origin())) {
      return new Copy(mirrored, List.of(), "simulated failure");
    }
    try {
      RegistryClient source = new RegistryClient(image.registry());
      Optional<RegistryClient.Manifest> top = source.manifest(image.path(), image.sourceReference());
      if (top.isEmpty()) {
        return new Copy(mirrored, List.of(), "reading manifest " + image.sourceReference() + " in " + image.registry() + "/"
            + image.path() + ": manifest unknown");
      }
      List<String> digests = new ArrayList<>();
      List<RegistryClient.Manifest> manifests = new ArrayList<>(List.of(top.get()));
      JsonNode topJson = JSON.readTree(top.get().content());
      for (JsonNode child : topJson.path("manifests")) {
        manifests.add(source.manifest(image.path(), child.path("digest").asText())
            .orElseThrow(() -> new IOException("manifest unknown: " + child.path("digest").asText())));
      }
      for (RegistryClient.Manifest manifest : manifests) {
        cache.putBlob(manifest.digest(), manifest.content());
        cache.linkManifest(mirrored.cachePath(), manifest.digest());
        digests.add(manifest.digest());
        for (String blob : blobsOf(manifest.content())) {
          if (!cache.hasBlob(blob)) {
            cache.putBlob(blob, source.blob(image.path(), blob).orElseThrow(() -> new IOException("blob unknown to registry: " + blob)));
          }
          cache.linkLayer(mirrored.cachePath(), blob);
          digests.add(blob);
        }
      }
      cache.linkTag(mirrored.cachePath(), mirrored.cacheTag(), top.get().digest());
      return new Copy(mirrored, digests, null);
    } catch (IOException e) {
      return new Copy(mirrored, List.of(), e.getMessage());
    }
  }

  /**
   * Pulls a catalog and rebuilds it as oc-mirror does: its layers but the configs, and a new configs layer holding
   * only what the configuration selected, under the catalog's own name and tag in the cache.
   */
  private Copy pullCatalog(MirrorImage mirrored, SimulatorCache cache, OperatorCatalog.Selection selection) {
    Copy original = pull(mirrored, cache);
    if (original.failure() != null) {
      return original;
    }
    try {
      String top = cache.tag(mirrored.cachePath(), mirrored.cacheTag()).orElseThrow();
      byte[] manifest = cache.blob(top).orElseThrow();
      ImageFiles files = imageFiles(manifest, digest -> cache.blob(digest).orElseThrow());
      List<byte[]> layers = new ArrayList<>();
      for (JsonNode layer : JSON.readTree(manifest).path("layers")) {
        String digest = layer.path("digest").asText();
        if (!files.configLayers().contains(digest)) {
          layers.add(cache.blob(digest).orElseThrow());
        }
      }
      layers.add(selection.configs());
      List<String> digests = new ArrayList<>();
      RegistryClient.Manifest rebuilt = RegistryClient.image(files.labels(), layers, (digest, content) -> {
        cache.putBlob(digest, content);
        cache.linkLayer(mirrored.cachePath(), digest);
        digests.add(digest);
      });
      cache.putBlob(rebuilt.digest(), rebuilt.content());
      cache.linkManifest(mirrored.cachePath(), rebuilt.digest());
      cache.linkTag(mirrored.cachePath(), mirrored.cacheTag(), rebuilt.digest());
      digests.add(0, rebuilt.digest());
      return new Copy(mirrored, digests, null);
    } catch (IOException | RuntimeException e) {
      return new Copy(mirrored, List.of(), "rebuilding catalog " + mirrored.origin() + ": " + e.getMessage());
    }
  }

  /** Reads the image from the cache only (diskToMirror never contacts the source) and pushes it. */
  private Copy push(MirrorImage image, SimulatorCache cache, RegistryClient target, String repository, int port) {
    if (injectedFailure(image.origin())) {
      return new Copy(image, List.of(), "simulated failure");
    }
    try {
      Optional<String> top = cache.tag(image.cachePath(), image.cacheTag());
      Optional<byte[]> topContent = top.isPresent() ? cache.blob(top.get()) : Optional.empty();
      if (topContent.isEmpty()) {
        return new Copy(image, List.of(), "reading manifest " + image.cacheTag() + " in localhost:" + port + "/"
            + image.cachePath() + ": manifest unknown");
      }
      List<RegistryClient.Manifest> children = new ArrayList<>();
      JsonNode topJson = JSON.readTree(topContent.get());
      for (JsonNode child : topJson.path("manifests")) {
        String digest = child.path("digest").asText();
        byte[] content = cache.blob(digest).orElse(null);
        if (content == null) {
          return new Copy(image, List.of(), "reading manifest " + digest + " in localhost:" + port + "/" + image.cachePath()
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
    return manifest.has("manifests") ? "application/vnd.oci.image.index.v1+json" : RegistryClient.OCI_MANIFEST;
  }

  private static List<String> blobsOf(byte[] manifest) throws IOException {
    JsonNode json = JSON.readTree(manifest);
    List<String> blobs = new ArrayList<>();
    if (json.path("config").has("digest")) {
      blobs.add(json.path("config").path("digest").asText());
    }
    json.path("layers").forEach(layer -> blobs.add(layer.path("digest").asText()));
    return blobs;
  }

  /** The graph image oc-mirror builds from the Cincinnati graph data; here a fixed small image with a real layer. */
  private static List<String> buildGraphImage(SimulatorCache cache) throws IOException {
    byte[] layer = Layers.tarGz(Map.of("var/lib/cincinnati-graph-data/README",
        "cincinnati-graph-data (simulated)\n".getBytes(StandardCharsets.UTF_8)));
    List<String> digests = new ArrayList<>();
    RegistryClient.Manifest manifest = RegistryClient.image(Map.of("io.openshift.graph-data", "simulated"), List.of(layer),
        (digest, content) -> {
          cache.putBlob(digest, content);
          cache.linkLayer(GRAPH_REPOSITORY, digest);
          digests.add(digest);
        });
    cache.putBlob(manifest.digest(), manifest.content());
    cache.linkManifest(GRAPH_REPOSITORY, manifest.digest());
    cache.linkTag(GRAPH_REPOSITORY, "latest", manifest.digest());
    digests.add(0, manifest.digest());
    return digests;
  }

  private boolean injectedFailure(String image) {
    String failing = env.getOrDefault("OC_MIRROR_SIMULATOR_FAIL_IMAGES", "");
    return !failing.isBlank() && Stream.of(failing.split(",")).map(String::trim)
        .anyMatch(part -> !part.isEmpty() && image.contains(part));
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
      log("INFO", " " + last.image().kind().word + " image " + count);
      log("INFO", " image: " + image);
      log("INFO", "=================================================");
    } else if (last.failure() == null) {
      log("INFO", "Success copying " + image.replaceFirst("^docker://", "") + " ➡️ " + to);
    } else {
      log("ERROR", "Failed to copy " + last.image().kind().category + " " + image.replaceFirst("^docker://", ""));
    }
    afterImage(copies.size());
  }

  /** The Results lines, one per kind of content the run had; returns the kinds in which some image failed. */
  private Set<Kind> results(List<Copy> copies) {
    log("INFO", "=== Results ===");
    Set<Kind> failed = java.util.EnumSet.noneOf(Kind.class);
    for (Kind kind : Kind.values()) {
      List<Copy> ofKind = copies.stream().filter(copy -> copy.image().kind() == kind).toList();
      if (ofKind.isEmpty()) {
        continue;
      }
      long ok = ofKind.stream().filter(copy -> copy.failure() == null).count();
      String word = kind.word;
      if (ok == ofKind.size()) {
        log("INFO", release416 ? "All " + word + " images mirrored successfully " + ok + " / " + ofKind.size() + " ✅"
            : " ✓  " + ok + " / " + ofKind.size() + " " + word + " images mirrored successfully");
      } else {
        failed.add(kind);
        log("INFO", release416 ? "Images mirrored " + ok + " / " + ofKind.size() + ": Some " + word
            + " images failed to mirror ❌ - please check the logs"
            : " ✗  " + ok + " / " + ofKind.size() + " " + word + " images mirrored: Some " + word
                + " images failed to be mirrored - please check the logs");
      }
    }
    return failed;
  }

  private int failure(Path workingDir, List<Copy> copies, Set<Kind> failed) throws IOException {
    Path errors = workingDir.resolve("logs/mirroring_errors_" + LocalDateTime.now().format(FILE_TIME) + ".txt");
    StringBuilder text = new StringBuilder();
    for (Copy copy : copies) {
      if (copy.failure() != null) {
        if (!release416) {
          log("ERROR", "[Worker] error mirroring image " + copy.image().origin() + " error: " + copy.failure());
        }
        text.append("error mirroring image ").append(copy.image().origin()).append(" error: ").append(copy.failure()).append('\n');
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
    return goodbye(legacy ? 0 : failed.stream().mapToInt(kind -> kind.bit).sum());
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
}
