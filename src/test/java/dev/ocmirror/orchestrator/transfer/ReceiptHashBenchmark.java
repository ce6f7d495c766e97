package dev.ocmirror.orchestrator.transfer;

import dev.ocmirror.orchestrator.remote.Command;
import dev.ocmirror.orchestrator.remote.OutputListener;
import dev.ocmirror.orchestrator.remote.SshHost;
import dev.ocmirror.orchestrator.support.TestSshd;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Receipt verification hashes each file on the import host over SSH ({@link SshHost#sha256}). This measures it, in
 * one run and in alternating rounds on a warm page cache, against {@code openssl dgst -sha256} run on that host
 * directly (the reference: the hardware's speed), and against {@code sha256sum} over SSH (what it ran before). The
 * import host is this machine behind a real sshd on loopback. Not a test: run it as docs/benchmarks.md says.
 *
 * <p>Arguments: directory, megabytes of the file, rounds.
 */
public final class ReceiptHashBenchmark {

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/receipt-hash-benchmark");
    int megabytes = args.length > 1 ? Integer.parseInt(args[1]) : 2048;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Files.createDirectories(dir);
    Path file = dir.resolve("mirror_000001.tar");
    if (!Files.exists(file) || Files.size(file) != (long) megabytes << 20) {
      generate(file, megabytes);
    }
    String path = file.toAbsolutePath().toString();
    try (TestSshd sshd = TestSshd.start(Files.createTempDirectory("bench-sshd"));
        SshHost host = new SshHost(sshd.target())) {
      local("openssl", "dgst", "-sha256", "-r", path);
      host.sha256(path);
      List<Double> ours = new ArrayList<>();
      List<Double> reference = new ArrayList<>();
      List<Double> before = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        // Alternate which goes first, so that neither always meets a machine just warmed or disturbed by the other.
        double openssl;
        double overSsh;
        if (round % 2 == 1) {
          openssl = time(() -> local("openssl", "dgst", "-sha256", "-r", path));
          overSsh = time(() -> host.sha256(path));
        } else {
          overSsh = time(() -> host.sha256(path));
          openssl = time(() -> local("openssl", "dgst", "-sha256", "-r", path));
        }
        double sha256sum = time(() -> host.run(Command.of("sha256sum", "--", path), OutputListener.IGNORE,
            Duration.ofHours(1)));
        reference.add(openssl);
        ours.add(overSsh);
        before.add(sha256sum);
        System.out.printf("round %d: openssl on the host %.2f s, SshHost.sha256 %.2f s (%.2fx), sha256sum over SSH %.2f s"
            + " (%.2fx)%n", round, openssl, overSsh, overSsh / openssl, sha256sum, sha256sum / openssl);
      }
      List<Double> ratios = new ArrayList<>();
      List<Double> oldRatios = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        ratios.add(ours.get(i) / reference.get(i));
        oldRatios.add(before.get(i) / reference.get(i));
      }
      System.out.printf("%d MiB, %d rounds: SshHost.sha256 / openssl median %.2fx (%.2f-%.2f); sha256sum over SSH /"
          + " openssl median %.2fx (%.2f-%.2f)%n", megabytes, rounds, median(ratios), Collections.min(ratios),
          Collections.max(ratios), median(oldRatios), Collections.min(oldRatios), Collections.max(oldRatios));
    }
  }

  private interface Work {
    void run() throws Exception;
  }

  private static double time(Work work) throws Exception {
    long start = System.nanoTime();
    work.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static void local(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed");
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  private static void generate(Path file, int megabytes) throws IOException {
    SplittableRandom random = new SplittableRandom(17);
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < megabytes; i++) {
        for (int j = 0; j < block.length; j += 8) {
          long value = random.nextLong();
          for (int k = 0; k < 8; k++) {
            block[j + k] = (byte) (value >>> (8 * k));
          }
        }
        out.write(block);
      }
    }
  }
}
