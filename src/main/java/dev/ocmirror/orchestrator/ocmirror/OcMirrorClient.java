package dev.ocmirror.orchestrator.ocmirror;

import dev.ocmirror.orchestrator.remote.Command;
import dev.ocmirror.orchestrator.remote.CommandResult;
import dev.ocmirror.orchestrator.remote.DetachedRun;
import dev.ocmirror.orchestrator.remote.DetachedRuns;
import dev.ocmirror.orchestrator.remote.FileEntry;
import dev.ocmirror.orchestrator.remote.Host;
import dev.ocmirror.orchestrator.remote.HostException;
import dev.ocmirror.orchestrator.remote.OutputListener;
import dev.ocmirror.orchestrator.remote.RunStatus;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Drives {@code oc-mirror --v2} on one host. Runs are detached (they outlive the service and the SSH
 * connection) and identified by a run id chosen by the caller, so starting twice is harmless and a restarted
 * service finds its runs again.
 *
 * <p>Every run gets its own cache registry port on loopback: {@code --port} plus
 * {@code REGISTRY_HTTP_ADDR=127.0.0.1:PORT}, because oc-mirror's embedded registry otherwise listens on all
 * interfaces and two runs on one host would collide. The cache directory is passed as {@code OC_MIRROR_CACHE},
 * which releases without {@code --cache-dir} (4.17) understand too.
 */
public final class OcMirrorClient {

  private static final Pattern ARCHIVE = Pattern.compile("mirror_[0-9]{6}\\.tar");
  private static final Pattern ERRORS_FILE = Pattern.compile("mirroring_errors_.*\\.txt");
  private static final int MAX_ERRORS_FILE = 16 << 20;
  // Below Linux's ephemeral range (32768-60999), where outgoing connections would otherwise take the port first.
  private static final int PORT_BASE = 20000;
  private static final int PORT_SPAN = 10000;

  private final Host host;
  private final OcMirrorSettings settings;
  private final DetachedRuns runs;
  private final SecureRandom random = new SecureRandom();

  public OcMirrorClient(Host host, OcMirrorSettings settings) {
    this.host = host;
    this.settings = settings;
    this.runs = new DetachedRuns(host, settings.runsDirectory());
  }

  public Host host() {
    return host;
  }

  /** The release of the binary, from {@code oc-mirror --v2 version --output json}: every release answers it. */
  public OcMirrorVersion version() {
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    CommandResult result = host.run(Command.of(settings.binary(), "--v2", "version", "--output", "json"),
        (stream, line) -> (stream == OutputListener.Stream.STDOUT ? out : err)
            .append(line).append('\n'), Duration.ofMinutes(2));
    if (!result.succeeded()) {
      throw new HostException("'" + settings.binary() + " --v2 version' failed on " + host.name() + " ("
          + result.ending() + " " + result.exitStatus() + "): " + err.toString().trim());
    }
    OcMirrorVersion version = OcMirrorVersion.parse(out.toString());
    if (version == null) {
      throw new HostException("Cannot read a version from '" + settings.binary() + " --v2 version' on " + host.name()
          + ": " + out.toString().trim());
    }
    return version;
  }

  /** The version of oc-mirror that made a run, as recorded when it started; null for a run started without one. */
  public String versionOf(String runId) {
    String file = versionFile(runId);
    return host.stat(file).isPresent() ? new String(host.read(file, 4096), StandardCharsets.UTF_8).strip() : null;
  }

  private String versionFile(String runId) {
    return settings.runsDirectory() + "/" + runId + ".oc-mirror-version";
  }

  /**
   * mirrorToDisk into {@code workspace} (archives land in it, its {@code working-dir} keeps the history that
   * makes the next archive differential).
   */
  public DetachedRun startMirrorToDisk(String runId, String workspace, String cacheDirectory, String imagesetConfig,
      boolean dryRun, LocalDate since) {
    String destination = OcMirrorPaths.checkWorkspace("The mirror workspace", workspace);
    boolean fresh = !runs.exists(runId);
    if (fresh) {
      recordVersion(runId);
    }
    if (!dryRun && fresh) {
      // 4.16 neither deletes the archives of an earlier run nor writes none after a dry run but an empty one:
      // whatever lies here now would be taken for this run's output.
      archives(destination, true).forEach(stale -> host.delete(stale.path()));
    }
    List<String> argv = baseArguments(runId, imagesetConfig);
    argv.add("file://" + destination);
    argv.add("--v2");
    if (dryRun) {
      argv.add("--dry-run");
    }
    if (since != null) {
      argv.add("--since");
      argv.add(since.toString());
    }
    host.createDirectories(destination);
    return start(runId, argv, cacheDirectory);
  }

  /**
   * diskToMirror from the archives in {@code archiveDirectory} into {@code destination} (e.g.
   * {@code docker://registry.example:5000/mirror}), through the enclave's persistent cache.
   */
  public DetachedRun startDiskToMirror(String runId, String archiveDirectory, String cacheDirectory,
      String imagesetConfig, String destination, boolean dryRun) {
    String from = OcMirrorPaths.checkWorkspace("The archive directory", archiveDirectory);
    if (destination == null || !destination.matches("docker://[A-Za-z0-9.\\[\\]:-]+(/[A-Za-z0-9._/-]+)?")) {
      throw new IllegalArgumentException("The destination must be docker://HOST[:PORT][/namespace], not '" + destination + "'");
    }
    if (!runs.exists(runId)) {
      recordVersion(runId);
    }
    List<String> argv = baseArguments(runId, imagesetConfig);
    argv.add("--from");
    argv.add("file://" + from);
    argv.add(destination);
    argv.add("--v2");
    if (dryRun) {
      argv.add("--dry-run");
    }
    return start(runId, argv, cacheDirectory);
  }

  private List<String> baseArguments(String runId, String imagesetConfig) {
    if (imagesetConfig == null || imagesetConfig.isBlank()) {
      throw new IllegalArgumentException("An ImageSetConfiguration is required for run " + runId);
    }
    String configFile = settings.runsDirectory() + "/" + runId + ".imageset-config.yaml";
    if (!runs.exists(runId)) {
      host.write(configFile, imagesetConfig.getBytes(StandardCharsets.UTF_8));
    }
    return new ArrayList<>(List.of(settings.binary(), "-c", configFile));
  }

  /**
   * Before a new run touches anything: asks the binary its version, keeps it with the run, and refuses the run when
   * the configured flags include one that version does not know.
   */
  private void recordVersion(String runId) {
    OcMirrorVersion version = version();
    List<String> unknown = settings.flags().unknownTo(version);
    if (!unknown.isEmpty()) {
      throw new RunRefused("oc-mirror " + version.text() + " on " + host.name() + " is release " + version.release()
          + ", which does not know " + String.join(", ", unknown) + "; remove the flag from this host's configuration or"
          + " install a later oc-mirror");
    }
    host.createDirectories(settings.runsDirectory());
    host.write(versionFile(runId), version.text().getBytes(StandardCharsets.UTF_8));
  }

  private DetachedRun start(String runId, List<String> argv, String cacheDirectory) {
    if (cacheDirectory == null || !cacheDirectory.startsWith("/")) {
      throw new IllegalArgumentException("The oc-mirror cache directory must be an absolute path, not '" + cacheDirectory + "'");
    }
    int port = PORT_BASE + random.nextInt(PORT_SPAN);
    argv.add("--port");
    argv.add(Integer.toString(port));
    argv.addAll(settings.flags().arguments());
    host.createDirectories(cacheDirectory);
    Command command = Command.of(argv);
    for (Map.Entry<String, String> variable : settings.environment().variables().entrySet()) {
      command = command.withEnvironment(variable.getKey(), variable.getValue());
    }
    command = command.withEnvironment("OC_MIRROR_CACHE", cacheDirectory)
        .withEnvironment("REGISTRY_HTTP_ADDR", "127.0.0.1:" + port);
    return runs.start(runId, command);
  }

  /** The run with this id, started by this or an earlier instance of the service. */
  public DetachedRun attach(String runId) {
    return runs.attach(runId);
  }

  /** Whether a run with this id was ever started on this host. */
  public boolean hasRun(String runId) {
    return runs.exists(runId);
  }

  /** A watch on a run's progress that reads only what its log gained since the last look. */
  public ProgressWatch watch(DetachedRun run) {
    return new ProgressWatch(runs.attach(run.id()));
  }

  public static final class ProgressWatch {

    private final DetachedRun run;
    private final OcMirrorLog log = new OcMirrorLog();

    private ProgressWatch(DetachedRun run) {
      this.run = run;
    }

    public OcMirrorProgress look() {
      RunStatus status = run.status();
      run.readNewLines((stream, line) -> log.accept(line));
      return new OcMirrorProgress(status, log.imagesToCopy(), log.imagesDone(), log.imageErrors(), log.currentImage(),
          run.tail(8192));
    }
  }

  /**
   * Judges a finished run of {@code workflow} whose workspace (m2d destination or d2m --from directory) is
   * {@code workspace}. Must be called before the archives are moved away.
   */
  public OcMirrorOutcome outcome(DetachedRun run, Workflow workflow, String workspace, boolean dryRun) {
    RunStatus status = run.status();
    if (!status.finished()) {
      throw new IllegalStateException("Run " + run.id() + " on " + host.name() + " has not finished (" + status.state() + ")");
    }
    OcMirrorLog log = readLog(run);
    errorsFile(run, log, workspace).ifPresent(path -> log.acceptErrorsFile(
        new String(host.read(path, MAX_ERRORS_FILE), StandardCharsets.UTF_8)));
    List<String> archives = archivesIn(workspace).stream().map(FileEntry::name).toList();
    List<String> clusterResources = host.list(workspace + "/working-dir/cluster-resources").stream()
        .filter(entry -> !entry.directory()).map(FileEntry::name).toList();
    Instant started = host.stat(run.directory() + "/command").map(FileEntry::modified).orElse(Instant.now());
    return OcMirrorOutcome.judge(workflow, dryRun, status, log, versionOf(run.id()), archives, clusterResources,
        Duration.between(started, Instant.now()));
  }

  /**
   * The {@code mirror_NNNNNN.tar} files in a directory, in name order (the order d2m reads them). An empty file is
   * none: 4.16 leaves one after a dry run, and d2m refuses it.
   */
  public List<FileEntry> archivesIn(String directory) {
    return archives(directory, false);
  }

  private List<FileEntry> archives(String directory, boolean emptyToo) {
    return host.list(directory).stream()
        .filter(entry -> !entry.directory() && ARCHIVE.matcher(entry.name()).matches() && (emptyToo || entry.size() > 0))
        .sorted(Comparator.comparing(FileEntry::name))
        .toList();
  }

  /**
   * Moves the archives of a finished mirrorToDisk out of its workspace into {@code storeDirectory} at once:
   * oc-mirror deletes every {@code mirror_*.tar} in the workspace when the next run starts. A rename, so the
   * store must be on the same file system.
   */
  public List<FileEntry> moveArchivesToStore(String workspace, String storeDirectory) {
    host.createDirectories(storeDirectory);
    List<FileEntry> moved = new ArrayList<>();
    for (FileEntry archive : archivesIn(workspace)) {
      String target = storeDirectory + "/" + archive.name();
      host.move(archive.path(), target);
      moved.add(host.stat(target).orElseThrow(() -> new HostException("Archive " + target + " vanished after the move")));
    }
    return moved;
  }

  private OcMirrorLog readLog(DetachedRun run) {
    OcMirrorLog log = new OcMirrorLog();
    runs.attach(run.id()).readNewLines((stream, line) -> log.accept(line));
    return log;
  }

  /** The errors file the log names; else the newest one written in the workspace's logs since the run began. */
  private Optional<String> errorsFile(DetachedRun run, OcMirrorLog log, String workspace) {
    if (log.errorsFile() != null && host.stat(log.errorsFile()).isPresent()) {
      return Optional.of(log.errorsFile());
    }
    Instant started = host.stat(run.directory() + "/command").map(FileEntry::modified).orElse(Instant.EPOCH);
    return host.list(workspace + "/working-dir/logs").stream()
        .filter(entry -> ERRORS_FILE.matcher(entry.name()).matches())
        .filter(entry -> !entry.modified().isBefore(started.minusSeconds(1)))
        .max(Comparator.comparing(FileEntry::modified))
        .map(FileEntry::path);
  }
}
