package dev.ocmirror.orchestrator.transfer;

import static dev.ocmirror.orchestrator.support.Rounds.max;
import static dev.ocmirror.orchestrator.support.Rounds.median;
import static dev.ocmirror.orchestrator.support.Rounds.min;
import static dev.ocmirror.orchestrator.support.Rounds.run;
import static dev.ocmirror.orchestrator.support.Rounds.time;

import dev.ocmirror.orchestrator.remote.Command;
import dev.ocmirror.orchestrator.remote.OutputListener;
import dev.ocmirror.orchestrator.remote.SshHost;
import dev.ocmirror.orchestrator.support.Rounds;
import dev.ocmirror.orchestrator.support.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
    Rounds.randomFile(file, megabytes, 17);
    String path = file.toAbsolutePath().toString();
    try (TestSshd sshd = TestSshd.start(Files.createTempDirectory("bench-sshd"));
        SshHost host = new SshHost(sshd.target())) {
      List<String> opensslCommand = List.of("openssl", "dgst", "-sha256", "-r", path);
      run(opensslCommand);
      host.sha256(path);
      double[] ratios = new double[rounds];
      double[] oldRatios = new double[rounds];
      for (int round = 1; round <= rounds; round++) {
        double[] seconds = new double[2];
        Rounds.inTurn(round, () -> seconds[0] = time(() -> run(opensslCommand)), () -> seconds[1] = time(() -> host.sha256(path)));
        double openssl = seconds[0];
        double overSsh = seconds[1];
        double sha256sum = time(() -> host.run(Command.of("sha256sum", "--", path), OutputListener.IGNORE,
            Duration.ofHours(1)));
        ratios[round - 1] = overSsh / openssl;
        oldRatios[round - 1] = sha256sum / openssl;
        System.out.printf("round %d: openssl on the host %.2f s, SshHost.sha256 %.2f s (%.2fx), sha256sum over SSH %.2f s"
            + " (%.2fx)%n", round, openssl, overSsh, overSsh / openssl, sha256sum, sha256sum / openssl);
      }
      System.out.printf("%d MiB, %d rounds: SshHost.sha256 / openssl median %.2fx (%.2f-%.2f); sha256sum over SSH /"
          + " openssl median %.2fx (%.2f-%.2f)%n", megabytes, rounds, median(ratios), min(ratios), max(ratios),
          median(oldRatios), min(oldRatios), max(oldRatios));
    }
  }
}
