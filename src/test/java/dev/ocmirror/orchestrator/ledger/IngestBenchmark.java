package dev.ocmirror.orchestrator.ledger;

import static dev.ocmirror.orchestrator.support.Rounds.max;
import static dev.ocmirror.orchestrator.support.Rounds.median;
import static dev.ocmirror.orchestrator.support.Rounds.min;
import static dev.ocmirror.orchestrator.support.Rounds.run;
import static dev.ocmirror.orchestrator.support.Rounds.time;

import dev.ocmirror.orchestrator.support.Rounds;
import dev.ocmirror.orchestrator.remote.LocalHost;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Deep verification of an archive set (file hash plus every blob hash, {@link ArchiveReader}) against
 * {@code openssl dgst -sha256} and {@code sha256sum} reading the same files once, in the same run, on a warm
 * page cache. Not a test: run it as docs/benchmarks.md says.
 *
 * <p>Arguments: directory, number of archives, megabytes per archive.
 */
public final class IngestBenchmark {

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/ingest-benchmark");
    int archives = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int megabytes = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    for (int i = 1; i <= archives; i++) {
      Path file = dir.resolve(String.format("mirror_%06d.tar", i));
      if (!Files.exists(file) || Files.size(file) < (long) megabytes << 20) {
        generate(file, megabytes, i);
      }
      files.add(file);
    }
    long bytes = 0;
    for (Path file : files) {
      bytes += Files.size(file);
    }
    List<String> command = new ArrayList<>(List.of("openssl", "dgst", "-sha256"));
    files.forEach(file -> command.add(file.toString()));
    List<String> sha256sum = new ArrayList<>(List.of("sha256sum"));
    files.forEach(file -> sha256sum.add(file.toString()));
    run(command);
    readAll(files);

    // Reference and subject alternate, round by round, so that the machine's drift touches both alike; the
    // ratio is taken per round and its median reported.
    int rounds = 5;
    double[] openssl = new double[rounds];
    double[] reader = new double[rounds];
    double[] ratios = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      openssl[round] = time(() -> run(command));
      reader[round] = time(() -> readAll(files));
      ratios[round] = reader[round] / openssl[round];
    }
    double coreutils = time(() -> run(sha256sum));
    long peakHeap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peakHeap += pool.getPeakUsage().getUsed();
      }
    }
    double gib = bytes / (double) (1L << 30);
    System.out.printf("archives: %d x %d MiB = %.2f GiB, cores %d, max heap %d MiB%n", archives, megabytes, gib,
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
    for (int round = 0; round < rounds; round++) {
      System.out.printf("round %d: openssl %.2f s, ArchiveReader %.2f s, ratio %.2f%n", round + 1, openssl[round],
          reader[round], ratios[round]);
    }
    System.out.printf("| %d x %d MiB | %.2f s | %.2f s | %.2f (rounds %.2f to %.2f) | %.2f s (%.1fx) | %d MiB |%n", archives,
        megabytes, median(openssl), median(reader), median(ratios), min(ratios), max(ratios), coreutils,
        coreutils / median(openssl), peakHeap >> 20);
  }

  private static void readAll(List<Path> files) {
    new ArchiveReader().readAll(new LocalHost(), files.stream().map(Path::toString).toList());
  }

  /** Layers of 8 to 64 MiB plus small manifests, with real digests in their paths, like an oc-mirror archive. */
  private static void generate(Path file, int megabytes, int seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] buffer = new byte[64 << 20];
    Rounds.randomBytes(buffer, random);
    long target = (long) megabytes << 20;
    long written = 0;
    try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      while (written < target) {
        int size = (int) Math.min(target - written, (8 + random.nextInt(57)) << 20);
        buffer[random.nextInt(buffer.length)] ^= 1;
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(buffer, 0, size);
        String hex = HexFormat.of().formatHex(digest.digest());
        TarArchiveEntry entry = new TarArchiveEntry("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
        entry.setSize(size);
        tar.putArchiveEntry(entry);
        tar.write(buffer, 0, size);
        tar.closeArchiveEntry();
        written += size;
      }
    }
  }
}
