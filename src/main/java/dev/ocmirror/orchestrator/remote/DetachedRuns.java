package dev.ocmirror.orchestrator.remote;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Starts commands that outlive the service and the SSH connection that started them, and finds them again
 * by run id. Each run owns a directory {@code <runsRoot>/<runId>/} on its host:
 * <ul>
 *   <li>{@code command} the argument list, one per line, for people reading the host;</li>
 *   <li>{@code pid} the process group leader, written once the run is going;</li>
 *   <li>{@code output.log} standard output and error together, in order;</li>
 *   <li>{@code exit-status} written when the command ends; {@code cancelled} when it was stopped on purpose.</li>
 * </ul>
 * The directory is created with an atomic {@code mkdir}, so the same run id never starts two processes.
 */
public final class DetachedRuns {

  /** Run ids become directory names: letters, digits, dot, dash, underscore; no path tricks. */
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  static final int ALREADY_STARTED = 17;
  private static final Duration LAUNCH_LIMIT = Duration.ofMinutes(1);

  /**
   * A fixed script: user input reaches it only as positional parameters ($1 directory, $2 working directory,
   * then the argument list), never as script text. setsid -f puts the run in its own session, so hang-ups of
   * the service's process or SSH session do not reach it.
   */
  private static final String LAUNCHER = String.join("\n",
      "dir=$1; workdir=$2; shift 2",
      "mkdir -- \"$dir\" || exit " + ALREADY_STARTED,
      "for arg in \"$@\"; do printf '%s\\n' \"$arg\"; done > \"$dir/command\"",
      "if [ -n \"$workdir\" ]; then cd -- \"$workdir\" || { echo 'working directory missing' > \"$dir/output.log\"; echo 126 > \"$dir/exit-status\"; exit 0; }; fi",
      "exec setsid -f sh -c '",
      "  dir=$1; shift",
      "  echo $$ > \"$dir/pid.tmp\" && mv -f \"$dir/pid.tmp\" \"$dir/pid\"",
      "  \"$@\" > \"$dir/output.log\" 2>&1 < /dev/null",
      "  status=$?",
      "  echo $status > \"$dir/exit-status.tmp\" && mv -f \"$dir/exit-status.tmp\" \"$dir/exit-status\"",
      "' detached-run \"$dir\" \"$@\" > /dev/null 2>&1 < /dev/null");

  private final Host host;
  private final String runsRoot;

  public DetachedRuns(Host host, String runsRoot) {
    if (runsRoot == null || !runsRoot.startsWith("/")) {
      throw new IllegalArgumentException("The runs directory must be an absolute path, not '" + runsRoot + "'");
    }
    this.host = host;
    this.runsRoot = runsRoot.endsWith("/") && runsRoot.length() > 1 ? runsRoot.substring(0, runsRoot.length() - 1) : runsRoot;
  }

  public Host host() {
    return host;
  }

  /**
   * Starts the command under this run id, or, when a run with this id was started before (by this or an
   * earlier instance of the service), returns that run without starting anything.
   */
  public DetachedRun start(String runId, Command command) {
    String directory = directoryOf(runId);
    host.createDirectories(runsRoot);
    List<String> argv = new ArrayList<>(List.of("sh", "-c", LAUNCHER, "detached-run-launcher", directory,
        command.workingDirectory() == null ? "" : command.workingDirectory()));
    if (!command.environment().isEmpty()) {
      argv.add("env");
      command.environment().forEach((name, value) -> argv.add(name + "=" + value));
    }
    argv.addAll(command.argv());
    StringBuilder errors = new StringBuilder();
    CommandResult launched = host.run(Command.of(argv), (stream, line) -> errors.append(line).append('\n'), LAUNCH_LIMIT);
    if (launched.succeeded()) {
      return new DetachedRun(host, runId, directory, true);
    }
    if (launched.exitStatus() != null && launched.exitStatus() == ALREADY_STARTED && host.stat(directory).isPresent()) {
      return new DetachedRun(host, runId, directory, false);
    }
    throw new HostException("Cannot start run " + runId + " on " + host.name() + " (" + launched.ending() + " "
        + launched.exitStatus() + "): " + errors.toString().trim());
  }

  /** The run with this id, started earlier; fails when there is none. */
  public DetachedRun attach(String runId) {
    String directory = directoryOf(runId);
    if (host.stat(directory).isEmpty()) {
      throw new HostException("No run " + runId + " on " + host.name() + " (looked in " + directory + ")");
    }
    return new DetachedRun(host, runId, directory, false);
  }

  public boolean exists(String runId) {
    return host.stat(directoryOf(runId)).isPresent();
  }

  private String directoryOf(String runId) {
    if (runId == null || !RUN_ID.matcher(runId).matches() || runId.contains("..")) {
      throw new IllegalArgumentException("Not a usable run id: '" + runId + "' (letters, digits, '.', '-', '_'; at most 128)");
    }
    return runsRoot + "/" + runId;
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8).trim();
  }
}
