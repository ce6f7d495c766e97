package dev.ocmirror.orchestrator.remote;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One detached run, seen from the service: its status, its output so far, and the means to follow or stop
 * it. Holding one costs nothing on the host; any number of them may look at the same run.
 */
public final class DetachedRun {

  private static final int READ_CHUNK = 1 << 20;
  /** A run whose launcher never wrote its pid within this time did not start. */
  private static final Duration START_GRACE = Duration.ofSeconds(30);

  private final Host host;
  private final String id;
  private final String directory;
  private final boolean startedNow;
  private final ByteArrayOutputStream partialLine = new ByteArrayOutputStream();
  private long offset;

  DetachedRun(Host host, String id, String directory, boolean startedNow) {
    this.host = host;
    this.id = id;
    this.directory = directory;
    this.startedNow = startedNow;
  }

  public String id() {
    return id;
  }

  public String directory() {
    return directory;
  }

  public String outputFile() {
    return directory + "/output.log";
  }

  /** False when this handle found a run that an earlier call (or an earlier service) had started. */
  public boolean startedNow() {
    return startedNow;
  }

  /**
   * Records beside the run that the service has taken its outcome (judged it and is about to report it), so that a
   * later attempt of the same work knows this run needs no judging again and may start its own.
   */
  public void markOutcomeTaken() {
    host.write(directory + "/outcome-taken", new byte[0]);
  }

  /** Whether the service took this run's outcome: a run that ended unseen (its node lost sight of it) has not. */
  public boolean outcomeTaken() {
    return host.stat(directory + "/outcome-taken").isPresent();
  }

  /** Whether the run has written its exit status: a single stat, cheap enough to ask often. */
  public boolean hasExited() {
    return host.stat(directory + "/exit-status").map(status -> status.size() > 0).orElse(false);
  }

  public RunStatus status() {
    Optional<String> exit = readSmall("exit-status");
    if (exit.isPresent()) {
      return RunStatus.exited(Integer.parseInt(exit.get()));
    }
    Optional<String> pid = readPid();
    boolean cancelled = host.stat(directory + "/cancelled").isPresent();
    if (pid.isEmpty()) {
      Instant created = host.stat(directory).map(FileEntry::modified).orElse(Instant.EPOCH);
      boolean overdue = created.plus(START_GRACE).isBefore(Instant.now());
      return RunStatus.of(cancelled ? RunStatus.State.CANCELLED : overdue ? RunStatus.State.LOST : RunStatus.State.STARTING);
    }
    if (alive(pid.get())) {
      return RunStatus.of(RunStatus.State.RUNNING);
    }
    // The exit status may have been written between the two reads above.
    Optional<String> lateExit = readSmall("exit-status");
    if (lateExit.isPresent()) {
      return RunStatus.exited(Integer.parseInt(lateExit.get()));
    }
    return RunStatus.of(cancelled ? RunStatus.State.CANCELLED : RunStatus.State.LOST);
  }

  /** The last {@code maxBytes} of output, starting at a line boundary where possible. */
  public String tail(int maxBytes) {
    Optional<FileEntry> log = host.stat(outputFile());
    if (log.isEmpty()) {
      return "";
    }
    long from = Math.max(0, log.get().size() - maxBytes);
    String text = new String(host.readFrom(outputFile(), from, maxBytes), StandardCharsets.UTF_8);
    int firstBreak = text.indexOf('\n');
    return from > 0 && firstBreak >= 0 ? text.substring(firstBreak + 1) : text;
  }

  /**
   * Hands every complete line written since the last call to the listener (as STDOUT: the run's two streams
   * share one file). Returns the number of lines delivered.
   */
  public int readNewLines(OutputListener listener) {
    int delivered = 0;
    while (true) {
      byte[] chunk = host.stat(outputFile()).isPresent() ? host.readFrom(outputFile(), offset, READ_CHUNK) : new byte[0];
      if (chunk.length == 0) {
        return delivered;
      }
      offset += chunk.length;
      for (byte b : chunk) {
        if (b == '\n') {
          listener.line(OutputListener.Stream.STDOUT, partialLine.toString(StandardCharsets.UTF_8));
          partialLine.reset();
          delivered++;
        } else {
          partialLine.write(b);
        }
      }
    }
  }

  /**
   * Follows the run until it finishes or {@code limit} passes, delivering output lines as they appear.
   * Returns the last status seen; an unfinished status means the limit passed (the run goes on).
   */
  public RunStatus follow(OutputListener listener, Duration pollInterval, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      RunStatus status = status();
      readNewLines(listener);
      if (status.finished()) {
        if (partialLine.size() > 0) {
          listener.line(OutputListener.Stream.STDOUT, partialLine.toString(StandardCharsets.UTF_8));
          partialLine.reset();
        }
        return status;
      }
      if (System.nanoTime() > deadline) {
        return status;
      }
      try {
        Thread.sleep(pollInterval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return status;
      }
    }
  }

  /** Stops the whole process group of the run; the status then reads CANCELLED. */
  public void cancel() {
    if (status().finished()) {
      return;
    }
    host.write(directory + "/cancelled", Instant.now().toString().getBytes(StandardCharsets.UTF_8));
    readPid().ifPresent(pid -> host.run(Command.of("kill", "-TERM", "--", "-" + pid), OutputListener.IGNORE,
        Duration.ofMinutes(1)));
  }

  /** The pid file is read back from the host; only a plain positive number is ever passed on to kill. */
  private Optional<String> readPid() {
    return readSmall("pid").map(pid -> {
      if (!pid.matches("[1-9][0-9]{0,9}")) {
        throw new HostException("Run " + id + " on " + host.name() + " has a damaged pid file: '" + pid + "'");
      }
      return pid;
    });
  }

  private boolean alive(String pid) {
    return host.run(Command.of("kill", "-0", pid), OutputListener.IGNORE, Duration.ofMinutes(1)).succeeded();
  }

  private Optional<String> readSmall(String name) {
    String path = directory + "/" + name;
    if (host.stat(path).isEmpty()) {
      return Optional.empty();
    }
    String value = DetachedRuns.text(host.read(path, 64));
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }
}
