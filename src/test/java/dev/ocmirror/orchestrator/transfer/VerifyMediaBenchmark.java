package dev.ocmirror.orchestrator.transfer;

import static dev.ocmirror.orchestrator.support.Rounds.max;
import static dev.ocmirror.orchestrator.support.Rounds.median;
import static dev.ocmirror.orchestrator.support.Rounds.min;
import static dev.ocmirror.orchestrator.support.Rounds.run;
import static dev.ocmirror.orchestrator.support.Rounds.time;

import dev.ocmirror.orchestrator.support.Rounds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code verify-media}, as an operator runs it at a station (a fresh JVM from the service's class path, no database or
 * engine), against {@code openssl dgst -sha256} over the same files: the reference, the hardware's speed. Signed
 * media of one archive on a warm page cache; alternating rounds, the ratio taken per round. Cold means each
 * verify-media is a new JVM, whose JIT reaches the SHA-256 loop only seconds in. Not a test: run it as
 * docs/benchmarks.md says.
 *
 * <p>Arguments: directory, megabytes of the archive, rounds.
 */
public final class VerifyMediaBenchmark {

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/verify-media-benchmark");
    int megabytes = args.length > 1 ? Integer.parseInt(args[1]) : 2048;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Path store = Files.createDirectories(dir.resolve("store"));
    Path archive = Rounds.randomFile(store.resolve("mirror_000001.tar"), megabytes, 23);
    Path media = dir.resolve("media");
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path publicKey = Files.writeString(dir.resolve("signing.pub"), ManifestSignature.encodePem("PUBLIC KEY",
        keys.getPublic().getEncoded()));
    List<TransferManifest.ManifestFile> files = new MediaStager().stage(List.of(new MediaStager.Source(archive,
        "generation-000001/mirror_000001.tar", dev.ocmirror.orchestrator.integrity.Sha256.hex(archive))), media);
    MediaStager.writeSigned(new TransferManifest(TransferManifest.SCHEMA_VERSION, "t-1", "5b1c3a8e-0000-4000-8000-000000000001",
        List.of(1), "site-a", "sha256:" + "d".repeat(64), "4.18.0", Instant.now(), "olivia",
        new TransferManifest.Prerequisites(List.of(), "sha256:" + "e".repeat(64), 1),
        List.of(new TransferManifest.GenerationContents(1, "kind: ImageSetConfiguration\n", "4.18.0", Map.of())), files),
        media, keys.getPrivate());

    List<String> openssl = List.of("openssl", "dgst", "-sha256", "-r",
        media.resolve("generation-000001/mirror_000001.tar").toString());
    List<String> verifyMedia = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.ocmirror.orchestrator.OrchestratorApplication", "verify-media",
        "--dir", media.toString(), "--public-key", publicKey.toString()));
    run(openssl);
    run(verifyMedia);
    double[] ratios = new double[rounds];
    for (int round = 1; round <= rounds; round++) {
      double[] seconds = new double[2];
      Rounds.inTurn(round, () -> seconds[0] = time(() -> run(openssl)), () -> seconds[1] = time(() -> run(verifyMedia)));
      double reference = seconds[0];
      double measured = seconds[1];
      ratios[round - 1] = measured / reference;
      System.out.printf("round %d: openssl %.2f s, verify-media (a new JVM) %.2f s (%.2fx)%n", round, reference, measured,
          measured / reference);
    }
    System.out.printf("%d MiB, %d rounds: verify-media / openssl median %.2fx (%.2f-%.2f)%n", megabytes, rounds,
        median(ratios), min(ratios), max(ratios));
  }
}
