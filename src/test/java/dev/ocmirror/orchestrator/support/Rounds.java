package dev.ocmirror.orchestrator.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the benchmarks share: timing one piece of work, running a reference command, the median and range of the
 * per-round ratios, and files of incompressible bytes to measure on.
 */
public final class Rounds {

  private Rounds() {
  }

  public interface Work {
    void run() throws Exception;
  }

  /**
   * Runs the reference and the measured work of one round, the reference first in odd rounds and last in even ones,
   * so that neither always meets a machine just warmed or disturbed by the other.
   */
  public static void inTurn(int round, Work reference, Work measured) throws Exception {
    if (round % 2 == 1) {
      reference.run();
      measured.run();
    } else {
      measured.run();
      reference.run();
    }
  }

  /** Seconds the work took. */
  public static double time(Work work) throws Exception {
    long start = System.nanoTime();
    work.run();
    return (System.nanoTime() - start) / 1e9;
  }

  /** Runs a command to its end, its output thrown away; a failure is an error, not a measurement. */
  public static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed");
    }
  }

  /** The middle value (the upper one of an even count). */
  public static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  public static double min(double[] values) {
    return Arrays.stream(values).min().orElseThrow();
  }

  public static double max(double[] values) {
    return Arrays.stream(values).max().orElseThrow();
  }

  /** Fills {@code buffer} with bytes no compression or deduplication can shorten, the same for the same seed. */
  public static void randomBytes(byte[] buffer, SplittableRandom random) {
    for (int i = 0; i + 8 <= buffer.length; i += 8) {
      long value = random.nextLong();
      for (int b = 0; b < 8; b++) {
        buffer[i + b] = (byte) (value >>> (8 * b));
      }
    }
  }

  /** A file of {@code megabytes} MiB of such bytes, unless one of that size is there already. */
  public static Path randomFile(Path file, int megabytes, long seed) throws IOException {
    if (Files.exists(file) && Files.size(file) == (long) megabytes << 20) {
      return file;
    }
    SplittableRandom random = new SplittableRandom(seed);
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < megabytes; i++) {
        randomBytes(block, random);
        out.write(block);
      }
    }
    return file;
  }
}
