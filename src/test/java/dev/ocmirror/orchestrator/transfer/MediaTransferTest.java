package dev.ocmirror.orchestrator.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import dev.ocmirror.orchestrator.support.OtherJvm;
import dev.ocmirror.orchestrator.support.SmallDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging a transfer onto media, signing its manifest, and verifying the media on the other side. */
class MediaTransferTest {

  @TempDir
  Path dir;
  Path store;
  Path media;
  Path publicKey;
  KeyPair keys;
  List<MediaStager.Source> sources;

  @BeforeEach
  void generationWithTwoArchives() throws Exception {
    store = Files.createDirectories(dir.resolve("store"));
    media = dir.resolve("media");
    keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    publicKey = pem(dir.resolve("signing.pub"), "PUBLIC KEY", keys.getPublic().getEncoded());
    sources = new ArrayList<>();
    Random random = new Random(7);
    for (String name : List.of("mirror_000001.tar", "mirror_000002.tar")) {
      byte[] content = new byte[200_000 + sources.size()];
      random.nextBytes(content);
      Path file = Files.write(Files.createDirectories(store.resolve("gen-2")).resolve(name), content);
      sources.add(new MediaStager.Source(file, "gen-2/" + name, dev.ocmirror.orchestrator.integrity.Sha256.hex(file)));
    }
  }

  @Test
  void anUnfinishedCopyOfAKilledAttemptIsDroppedAndAFailedCopyLeavesNothing() throws Exception {
    Path stale = Files.write(Files.createDirectories(media.resolve("gen-2")).resolve("mirror_000001.tar.partial"),
        new byte[5000]);
    new MediaStager().stage(sources, media);
    assertThat(stale).doesNotExist();
    assertThat(media.resolve("gen-2/mirror_000001.tar")).hasSameBinaryContentAs(Path.of(sources.get(0).path()));

    Path gone = store.resolve("gen-2/mirror_000003.tar");
    Files.write(gone, new byte[100]);
    MediaStager.Source vanishing = new MediaStager.Source(gone, "gen-3/mirror_000003.tar", null);
    Files.delete(gone);
    Files.createDirectory(gone);
    assertThatThrownBy(() -> new MediaStager().stage(List.of(vanishing), media))
        .hasMessageContaining("mirror_000003.tar").hasMessageContaining("Nothing of it was left on the media");
    assertThat(media.resolve("gen-3/mirror_000003.tar.partial")).doesNotExist();
    assertThat(media.resolve("gen-3/mirror_000003.tar")).doesNotExist();
  }

  @Test
  void archivesOnAnotherHostAreStagedOverSshAndForcedToTheMediaAlike() {
    try (dev.ocmirror.orchestrator.support.TestSshd sshd = dev.ocmirror.orchestrator.support.TestSshd.start(dir.resolve("sshd"));
        dev.ocmirror.orchestrator.remote.SshHost mirrorHost = new dev.ocmirror.orchestrator.remote.SshHost(sshd.target())) {
      List<MediaStager.Source> remote = sources.stream().map(source -> new MediaStager.Source(mirrorHost, source.path(),
          source.mediaPath(), source.expectedSha256())).toList();
      List<TransferManifest.ManifestFile> staged = new MediaStager().stage(remote, media);
      assertThat(staged).extracting(TransferManifest.ManifestFile::sha256)
          .containsExactlyElementsOf(sources.stream().map(MediaStager.Source::expectedSha256).toList());
      assertThat(media.resolve("gen-2/mirror_000002.tar")).hasSameBinaryContentAs(Path.of(sources.get(1).path()));
    }
  }

  @Test
  void aConnectionCutWhileStagingFromAnotherHostLeavesNothingAndTheNextAttemptStagesAll() throws Exception {
    Path big = dev.ocmirror.orchestrator.support.Rounds.randomFile(store.resolve("gen-2/mirror_000003.tar"), 512, 9);
    String sha256 = dev.ocmirror.orchestrator.integrity.Sha256.hex(big);
    try (dev.ocmirror.orchestrator.support.TestSshd sshd = dev.ocmirror.orchestrator.support.TestSshd.start(dir.resolve("sshd"));
        dev.ocmirror.orchestrator.remote.SshHost mirrorHost = new dev.ocmirror.orchestrator.remote.SshHost(sshd.target())) {
      List<MediaStager.Source> remote = List.of(new MediaStager.Source(mirrorHost, big.toString(), "gen-2/mirror_000003.tar",
          sha256));
      Thread cut = new Thread(() -> {
        try {
          Thread.sleep(300);
          sshd.kill();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      cut.start();
      assertThatThrownBy(() -> new MediaStager().stage(remote, media)).hasMessageContaining("mirror_000003.tar");
      cut.join();
      assertThat(media.resolve("gen-2/mirror_000003.tar.partial")).doesNotExist();
      assertThat(media.resolve("gen-2/mirror_000003.tar")).doesNotExist();
      sshd.restart();
      assertThat(new MediaStager().stage(remote, media)).singleElement()
          .satisfies(file -> assertThat(file.sha256()).isEqualTo(sha256));
    }
  }

  /** Stages one archive onto the media and signs them, in a JVM of its own that the test kills part-way. */
  public static final class StageAndSign {
    public static void main(String[] args) {
      Path media = Path.of(args[1]);
      List<TransferManifest.ManifestFile> staged = new MediaStager().stage(List.of(new MediaStager.Source(Path.of(args[0]),
          "gen-2/mirror_000003.tar", args[2])), media);
      MediaStager.writeSigned(manifest(staged), media, ManifestSignature.readPrivateKey(Path.of(args[3])));
      System.out.println("staged and signed");
    }
  }

  @Test
  void aStagingKilledMidFileLeavesNothingSignedAndTheNextAttemptStagesTheFileWhole() throws Exception {
    Path big = dev.ocmirror.orchestrator.support.Rounds.randomFile(store.resolve("gen-2/mirror_000003.tar"), 512, 11);
    String sha256 = dev.ocmirror.orchestrator.integrity.Sha256.hex(big);
    Path privateKey = pem(dir.resolve("signing.pem"), "PRIVATE KEY", keys.getPrivate().getEncoded());
    Path partial = media.resolve("gen-2/mirror_000003.tar.partial");
    Path log = dir.resolve("stager.log");
    Process stager = OtherJvm.startMain(StageAndSign.class.getName(), List.of(big.toString(), media.toString(), sha256,
        privateKey.toString()), log);
    long size = Files.size(big);
    // The kernel's copy grows the file as it goes on ext4 (a file system that clones instead would never show it part-way).
    OtherJvm.killWhen(stager, () -> {
      long copied = sizeOf(partial);
      return copied > 0 && copied < size;
    }, "part-way through the copy", log);

    assertThat(sizeOf(partial)).as("the killed copy, unfinished").isBetween(1L, size - 1);
    assertThat(media.resolve("gen-2/mirror_000003.tar")).doesNotExist();
    assertThat(media.resolve(TransferManifest.FILE_NAME)).doesNotExist();
    assertThat(media.resolve(TransferManifest.SIGNATURE_FILE_NAME)).doesNotExist();
    assertThat(dev.ocmirror.orchestrator.integrity.Sha256.hex(big)).as("the archive in the store").isEqualTo(sha256);

    List<MediaStager.Source> again = List.of(new MediaStager.Source(big, "gen-2/mirror_000003.tar", sha256));
    MediaStager.writeSigned(manifest(new MediaStager().stage(again, media)), media, keys.getPrivate());
    assertThat(partial).doesNotExist();
    assertThat(dev.ocmirror.orchestrator.integrity.Sha256.hex(media.resolve("gen-2/mirror_000003.tar"))).isEqualTo(sha256);
    Run run = verifyMedia();
    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out()).contains("signature: valid");
  }

  @Test
  void anArchiveChangedWhileItIsStagedIsRefusedAndNothingOfItIsLeft() throws Exception {
    Path big = dev.ocmirror.orchestrator.support.Rounds.randomFile(store.resolve("gen-2/mirror_000003.tar"), 512, 12);
    String sha256 = dev.ocmirror.orchestrator.integrity.Sha256.hex(big);
    Path partial = media.resolve("gen-2/mirror_000003.tar.partial");
    java.util.concurrent.CompletableFuture<Void> touched = java.util.concurrent.CompletableFuture.runAsync(() -> {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (sizeOf(partial) <= 0) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("The copy never showed on the media");
        }
        java.util.concurrent.locks.LockSupport.parkNanos(100_000);
      }
      try {
        // What a second writer does to a file: its modification time moves; the bytes here are the same.
        Files.setLastModifiedTime(big, FileTime.from(Instant.now().plusSeconds(60)));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThatThrownBy(() -> new MediaStager().stage(List.of(new MediaStager.Source(big, "gen-2/mirror_000003.tar", sha256)),
        media)).hasMessageContaining("changed while it was staged").hasMessageContaining("Nothing of it was left on the media");
    touched.get(1, TimeUnit.MINUTES);
    assertThat(partial).doesNotExist();
    assertThat(media.resolve("gen-2/mirror_000003.tar")).doesNotExist();
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException absent) {
      return -1;
    }
  }

  private static Path pem(Path file, String type, byte[] der) throws Exception {
    return Files.writeString(file, ManifestSignature.encodePem(type, der));
  }

  private void stageAndSign() {
    MediaStager.writeSigned(manifest(new MediaStager().stage(sources, media)), media, keys.getPrivate());
  }

  private static TransferManifest manifest(List<TransferManifest.ManifestFile> files) {
    return new TransferManifest(TransferManifest.SCHEMA_VERSION, "t-1", "5b1c3a8e-0000-4000-8000-000000000001",
        List.of(2), "site-a", "sha256:" + "d".repeat(64), "4.18.0", Instant.parse("2026-11-23T10:00:00Z"), "olivia",
        new TransferManifest.Prerequisites(List.of(1), "sha256:" + "e".repeat(64), 2),
        List.of(new TransferManifest.GenerationContents(2, "kind: ImageSetConfiguration\n", "4.18.0", Map.of("demo/a:v1",
            "sha256:" + "f".repeat(64)))), files);
  }

  private record Run(int exit, String out, String err) {
  }

  private Run verifyMedia(String... extra) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(List.of("--dir", media.toString(), "--public-key", publicKey.toString()));
    args.addAll(List.of(extra));
    int exit = VerifyMediaCommand.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void intactMediaVerifies() {
    stageAndSign();
    Run run = verifyMedia();
    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out()).contains("signature: valid").contains("OK: 2 file(s), 400001 bytes verified; 0 problem(s)");
  }

  @Test
  void everyDamageIsNamed() throws Exception {
    stageAndSign();
    Files.delete(media.resolve("gen-2/mirror_000001.tar"));
    try (RandomAccessFile file = new RandomAccessFile(media.resolve("gen-2/mirror_000002.tar").toFile(), "rw")) {
      file.seek(1000);
      file.write(0x55 ^ file.readByte());
    }
    Files.writeString(media.resolve("gen-2/mirror_000003.tar"), "smuggled");
    Run run = verifyMedia();
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .contains("MISSING gen-2/mirror_000001.tar")
        .contains("ALTERED gen-2/mirror_000002.tar")
        .contains("EXTRA gen-2/mirror_000003.tar")
        .contains("FAILED: 0 file(s)");
  }

  @Test
  void truncatedAndGrownFilesAreNamed() throws Exception {
    stageAndSign();
    try (RandomAccessFile file = new RandomAccessFile(media.resolve("gen-2/mirror_000001.tar").toFile(), "rw")) {
      file.setLength(1234);
    }
    Files.write(media.resolve("gen-2/mirror_000002.tar"), new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
    Run run = verifyMedia();
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("TRUNCATED gen-2/mirror_000001.tar: 1234 of 200000 bytes")
        .contains("SIZE_MISMATCH gen-2/mirror_000002.tar: 200002 bytes, manifest says 200001");
  }

  @Test
  void anAlteredManifestOrAnotherKeyBreaksTheSignature() throws Exception {
    stageAndSign();
    Path manifest = media.resolve(TransferManifest.FILE_NAME);
    String original = Files.readString(manifest);
    Files.writeString(manifest, original.replace("\"olivia\"", "\"mallory\""));
    assertThat(verifyMedia().out()).contains("signature: BAD");
    assertThat(verifyMedia().exit()).isEqualTo(1);

    Files.writeString(manifest, original);
    KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path otherKey = pem(dir.resolve("other.pub"), "PUBLIC KEY", other.getPublic().getEncoded());
    Run wrongKey = verifyMedia("--public-key", otherKey.toString());
    assertThat(wrongKey.exit()).isEqualTo(1);
    assertThat(wrongKey.out()).contains("signature: BAD");

    Files.delete(media.resolve(TransferManifest.SIGNATURE_FILE_NAME));
    Run unsigned = verifyMedia();
    assertThat(unsigned.exit()).isEqualTo(1);
    assertThat(unsigned.out()).contains("signature: MISSING");
  }

  @Test
  void aManifestThatEscapesTheMediaOrIsNotAKeyIsRefusedAsUsage() throws Exception {
    stageAndSign();
    Path manifest = media.resolve(TransferManifest.FILE_NAME);
    Files.writeString(manifest, Files.readString(manifest).replace("gen-2/mirror_000001.tar", "../../etc/passwd"));
    Run escaping = verifyMedia();
    assertThat(escaping.exit()).isEqualTo(2);
    assertThat(escaping.err()).contains("'../../etc/passwd' is not a plain relative path");

    Run notAKey = verifyMedia("--public-key", manifest.toString());
    assertThat(notAKey.exit()).isEqualTo(2);
    assertThat(notAKey.err()).contains("PUBLIC KEY");
    assertThat(VerifyMediaCommand.run(new String[] {"--dir"}, System.out, new PrintStream(new ByteArrayOutputStream()))).isEqualTo(2);
  }

  @Test
  void stagingResumesBySkippingVerifiedFilesAndRecopiesDamagedOnes() throws Exception {
    stageAndSign();
    Path first = media.resolve("gen-2/mirror_000001.tar");
    Path second = media.resolve("gen-2/mirror_000002.tar");
    FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    Files.setLastModifiedTime(first, old);
    try (RandomAccessFile file = new RandomAccessFile(second.toFile(), "rw")) {
      file.setLength(10);
    }
    stageAndSign();
    assertThat(Files.getLastModifiedTime(first)).isEqualTo(old);
    assertThat(Files.size(second)).isEqualTo(200_001);
    assertThat(verifyMedia().exit()).isZero();
  }

  @Test
  void refusesToStageWhenTheMediaIsTooSmallAndCopiesNothing() throws Exception {
    Path huge = store.resolve("gen-2/mirror_000009.tar");
    try (RandomAccessFile sparse = new RandomAccessFile(huge.toFile(), "rw")) {
      sparse.setLength(Files.getFileStore(store).getUsableSpace() + (1L << 30));
    }
    List<MediaStager.Source> tooMuch = new ArrayList<>(sources);
    tooMuch.add(new MediaStager.Source(huge, "gen-2/mirror_000009.tar", null));
    assertThatThrownBy(() -> new MediaStager().stage(tooMuch, media)).isInstanceOf(MediaSpaceException.class)
        .hasMessageContaining("Nothing was copied");
    try (var left = Files.list(media)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void mediaThatFillUpMidStagingAreNeitherHalfCopiedNorSignedAndStagingResumesOnceThereIsSpace() throws Exception {
    // Files of one page and one byte take two pages of the device: the free space, counted in bytes, looks enough
    // before staging and is not; the device fills up in the middle, with ENOSPC from the kernel.
    Random random = new Random(11);
    List<MediaStager.Source> pages = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      byte[] content = new byte[4097];
      random.nextBytes(content);
      Path file = Files.write(store.resolve("page-" + i + ".tar"), content);
      pages.add(new MediaStager.Source(file, "gen-2/mirror_" + String.format("%06d", i) + ".tar",
          dev.ocmirror.orchestrator.integrity.Sha256.hex(file)));
    }
    try (SmallDisk disk = SmallDisk.mount(dir.resolve("usb"), 96 * 1024)) {
      Path ballast = Files.write(disk.path().resolve("someone-elses-file"), new byte[32 * 1024]);
      Path onDisk = disk.path().resolve("transfer");
      assertThat(disk.free()).as("enough by the bytes to copy").isGreaterThan(10 * 4097L);

      assertThatThrownBy(() -> new MediaStager().stage(pages, onDisk)).isInstanceOf(MediaSpaceException.class)
          .hasMessageContaining("filled up while gen-2/mirror_000009.tar was copied")
          .hasMessageContaining("the 8 file(s) staged before it stay")
          .hasMessageContaining("nothing is signed");
      try (var left = Files.walk(onDisk)) {
        assertThat(left.filter(Files::isRegularFile).map(path -> onDisk.relativize(path).toString()))
            .as("whole files only, no manifest").hasSize(8).allMatch(name -> name.endsWith(".tar"));
      }

      Files.delete(ballast);
      List<TransferManifest.ManifestFile> staged = new MediaStager().stage(pages, onDisk);
      assertThat(staged).extracting(TransferManifest.ManifestFile::sha256)
          .containsExactlyElementsOf(pages.stream().map(MediaStager.Source::expectedSha256).toList());
      MediaStager.writeSigned(manifest(staged), onDisk, keys.getPrivate());
      MediaReport report = new MediaVerifier().verify(onDisk, onDisk.resolve(TransferManifest.FILE_NAME),
          onDisk.resolve(TransferManifest.SIGNATURE_FILE_NAME), keys.getPublic());
      assertThat(report.problems()).isEmpty();
      assertThat(report.signature()).isEqualTo(MediaReport.SignatureState.VALID);
    }
  }

  @Test
  void aSourceChangedSinceItWasRecordedIsNotStaged() throws Exception {
    Files.write(Path.of(sources.get(0).path()), "tampered in the store".getBytes(StandardCharsets.UTF_8));
    List<MediaStager.Source> stale = List.of(new MediaStager.Source(Path.of(sources.get(0).path()), "gen-2/mirror_000001.tar",
        sources.get(0).expectedSha256()));
    assertThatThrownBy(() -> new MediaStager().stage(stale, media)).hasMessageContaining("changed since it was recorded");
    assertThat(media.resolve("gen-2/mirror_000001.tar")).doesNotExist();
    assertThat(media.resolve("gen-2/mirror_000001.tar.partial")).doesNotExist();
  }

  @Test
  void theServiceJarRunsVerifyMediaWithoutStartingTheService() throws Exception {
    stageAndSign();
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.ocmirror.orchestrator.OrchestratorApplication",
        "verify-media", "--dir", media.toString(), "--public-key", publicKey.toString())
        .redirectErrorStream(true).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("OK: 2 file(s)").doesNotContain("Spring").doesNotContain("ENGINE-");
  }
}
