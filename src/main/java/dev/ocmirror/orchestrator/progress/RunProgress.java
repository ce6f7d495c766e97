package dev.ocmirror.orchestrator.progress;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One oc-mirror run as its worker last saw it: what a person watching the lifecycle wants to know without a shell
 * on the mirror host.
 *
 * @param runId the run's id on its host, one per attempt of a step
 * @param lifecycleId the lifecycle (root process instance) the run works for
 * @param step the oc-mirror step (its external task topic)
 * @param state STARTING, RUNNING, EXITED, CANCELLED or LOST
 * @param imagesTotal images to copy, once oc-mirror has said; null before
 * @param logTail the last lines of oc-mirror's output
 */
public record RunProgress(String runId, String lifecycleId, String processInstanceId, String step, String host,
    String enclave, Instant startedAt, Instant updatedAt, String state, Integer imagesTotal, int imagesDone,
    int imageErrors, String currentImage, String logTail) {

  public static final int MAX_LOG_TAIL = 8000;

  public RunProgress {
    logTail = logTail == null ? "" : logTail.length() > MAX_LOG_TAIL ? logTail.substring(logTail.length() - MAX_LOG_TAIL)
        : logTail;
  }

  public boolean finished() {
    return !state.equals("STARTING") && !state.equals("RUNNING");
  }

  public Duration elapsed(Instant now) {
    return Duration.between(startedAt, finished() ? updatedAt : now);
  }

  /** Images done per minute so far; empty until one is done. */
  public Optional<Double> imagesPerMinute(Instant now) {
    long seconds = elapsed(now).toSeconds();
    return imagesDone == 0 || seconds == 0 ? Optional.empty() : Optional.of(imagesDone * 60.0 / seconds);
  }

  /** Time left at the rate so far; empty while the total or the rate is unknown, or once finished. */
  public Optional<Duration> estimatedRemaining(Instant now) {
    if (finished() || imagesTotal == null || imagesDone == 0) {
      return Optional.empty();
    }
    int left = Math.max(0, imagesTotal - imagesDone);
    return Optional.of(Duration.ofMillis(Math.round(elapsed(now).toMillis() * (double) left / imagesDone)));
  }

  /** The last {@code count} non-empty lines of the log. */
  public List<String> lastLines(int count) {
    List<String> lines = Arrays.stream(logTail.split("\n")).filter(line -> !line.isBlank()).toList();
    return lines.subList(Math.max(0, lines.size() - count), lines.size());
  }
}
