package dev.ocmirror.orchestrator.transfer;

import static dev.ocmirror.orchestrator.support.Rounds.max;
import static dev.ocmirror.orchestrator.support.Rounds.median;
import static dev.ocmirror.orchestrator.support.Rounds.min;
import static dev.ocmirror.orchestrator.support.Rounds.run;
import static dev.ocmirror.orchestrator.support.Rounds.time;

import dev.ocmirror.orchestrator.support.Rounds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Staging ({@link MediaStager}: copy each archive onto the media and hash it in the same pass, then force it to the
 * device) against {@code cp} then {@code sync} of the same files, and against {@code cp}, {@code sync} then
 * {@code openssl dgst -sha256} (copy and hash apart), in one run, rounds alternating, on a warm page cache for the
 * sources. The media directory is emptied before each staging. Not a test: run it as docs/benchmarks.md says.
 *
 * <p>Arguments: directory (sources and media go below it), number of files, megabytes per file, rounds.
 */
public final class StagingBenchmark {

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/staging-benchmark");
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int megabytes = args.length > 2 ? Integer.parseInt(args[2]) : 2048;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    Path sources = Files.createDirectories(dir.resolve("sources"));
    Path media = dir.resolve("media");
    List<MediaStager.Source> files = new ArrayList<>();
    List<String> cp = new ArrayList<>(List.of("cp"));
    List<String> openssl = new ArrayList<>(List.of("openssl", "dgst", "-sha256", "-r"));
    for (int i = 1; i <= count; i++) {
      Path file = sources.resolve(String.format("mirror_%06d.tar", i));
      Rounds.randomFile(file, megabytes, i);
      files.add(new MediaStager.Source(file, "gen-1/" + file.getFileName(), null));
      cp.add(file.toString());
      openssl.add(media.resolve("gen-1/" + file.getFileName()).toString());
    }
    cp.add(media.resolve("gen-1").toString() + "/");
    MediaStager stager = new MediaStager();
    stageOnce(stager, files, media);
    double[] ratioToCp = new double[rounds];
    double[] ratioToCpAndOpenssl = new double[rounds];
    for (int round = 1; round <= rounds; round++) {
      double[] seconds = new double[3];
      Rounds.inTurn(round, () -> {
        seconds[0] = copyWithCp(cp, media);
        seconds[1] = seconds[0] + time(() -> run(openssl));
      }, () -> seconds[2] = time(() -> stageOnce(stager, files, media)));
      double copy = seconds[0];
      double copyThenHash = seconds[1];
      double staged = seconds[2];
      ratioToCp[round - 1] = staged / copy;
      ratioToCpAndOpenssl[round - 1] = staged / copyThenHash;
      System.out.printf("round %d: cp+sync %.2f s, cp+sync then openssl %.2f s, MediaStager %.2f s (%.2fx cp+sync, %.2fx"
          + " cp+sync then openssl)%n", round, copy, copyThenHash, staged, staged / copy, staged / copyThenHash);
    }
    System.out.printf("%d x %d MiB, %d rounds: MediaStager / cp+sync median %.2fx (%.2f-%.2f); / cp+sync then openssl"
        + " median %.2fx (%.2f-%.2f)%n", count, megabytes, rounds, median(ratioToCp), min(ratioToCp), max(ratioToCp),
        median(ratioToCpAndOpenssl), min(ratioToCpAndOpenssl), max(ratioToCpAndOpenssl));
  }

  private static void stageOnce(MediaStager stager, List<MediaStager.Source> files, Path media) throws IOException {
    empty(media);
    stager.stage(files, media);
  }

  /** cp, then sync of the copies: MediaStager forces each file to the device too. */
  private static double copyWithCp(List<String> cp, Path media) throws Exception {
    empty(media);
    Files.createDirectories(media.resolve("gen-1"));
    return time(() -> {
      run(cp);
      List<String> sync = new ArrayList<>(List.of("sync"));
      try (var copies = Files.list(media.resolve("gen-1"))) {
        copies.forEach(copy -> sync.add(copy.toString()));
      }
      run(sync);
    });
  }

  private static void empty(Path media) throws IOException {
    if (Files.exists(media)) {
      try (var all = Files.walk(media)) {
        for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }
}
