package dev.ocmirror.orchestrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocmirror.orchestrator.support.TestArchives;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveReaderTest {

  @TempDir
  Path dir;
  final ArchiveReader reader = new ArchiveReader();

  @Test
  void listsBlobsTagsManifestsAndThePreviousHistoryInOnePass() throws Exception {
    TestArchives archive = new TestArchives();
    byte[] base = archive.randomBytes(300_000);
    String alpha = archive.image("demo/alpha", "v1", base, archive.randomBytes(1000));
    String beta = archive.image("demo/beta", "v1", base, archive.randomBytes(2000));
    archive.entry("working-dir/.history/.history-2025-02-11T16:29:09Z", "sha256:" + "a".repeat(64) + "\n")
        .entry("working-dir/.history/.history-2025-03-11T16:29:09Z", "sha256:" + "b".repeat(64) + "\nsha256:" + "c".repeat(64) + "\n")
        .entry("working-dir/logs/registry.log", "started\n")
        .entry("isc_2025-03-19T08:20:23Z", "kind: ImageSetConfiguration\n");
    Path file = archive.write(dir.resolve("mirror_000001.tar"));

    ArchiveInventory inventory = reader.read(file);

    assertThat(inventory.fileName()).isEqualTo("mirror_000001.tar");
    assertThat(inventory.size()).isEqualTo(Files.size(file));
    assertThat(inventory.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
    // base layer once, two own layers, two configs, two manifests
    assertThat(inventory.blobs()).hasSize(7);
    assertThat(inventory.tags()).containsEntry("demo/alpha:v1", alpha).containsEntry("demo/beta:v1", beta);
    assertThat(inventory.manifestReferences().get(alpha)).hasSize(3).contains(TestArchives.sha256(base));
    assertThat(inventory.history()).containsExactlyInAnyOrder("sha256:" + "b".repeat(64), "sha256:" + "c".repeat(64));
    assertThat(inventory.imagesetConfigEntry()).isEqualTo("isc_2025-03-19T08:20:23Z");
    assertThat(inventory.entryCount()).isEqualTo(7 + 4 + 4);
  }

  @Test
  void aCorruptedBlobIsNamed() throws Exception {
    TestArchives archive = new TestArchives();
    archive.image("demo/alpha", "v1", archive.randomBytes(50_000));
    Path file = archive.write(dir.resolve("mirror_000001.tar"));
    byte[] bytes = Files.readAllBytes(file);
    // The middle of the file lies inside the 50 kB layer's content, past every header.
    int middle = bytes.length / 2;
    try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
      raw.seek(middle);
      raw.write(bytes[middle] ^ 0x01);
    }
    assertThatThrownBy(() -> reader.read(file)).isInstanceOf(ArchiveDamagedException.class)
        .hasMessageStartingWith("mirror_000001.tar: blob docker/registry/v2/blobs/sha256/")
        .hasMessageContaining("is corrupted");
  }

  @Test
  void aTruncatedArchiveIsNamedWithTheEntryWhereItBreaksOff() throws Exception {
    TestArchives archive = new TestArchives();
    archive.image("demo/alpha", "v1", archive.randomBytes(50_000));
    Path file = archive.write(dir.resolve("mirror_000002.tar"));
    try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
      raw.setLength(20_000);
    }
    assertThatThrownBy(() -> reader.read(file)).isInstanceOf(ArchiveDamagedException.class)
        .hasMessageStartingWith("mirror_000002.tar:")
        .hasMessageContaining("docker/registry/v2/blobs/sha256/");
  }

  @Test
  void emptyAndNonTarFilesAreRefused() throws Exception {
    Path empty = Files.write(dir.resolve("mirror_000003.tar"), new byte[0]);
    assertThatThrownBy(() -> reader.read(empty)).hasMessageContaining("is empty");
    Path text = Files.writeString(dir.resolve("mirror_000004.tar"), "not a tar archive at all, just text\n".repeat(40));
    assertThatThrownBy(() -> reader.read(text)).isInstanceOf(ArchiveDamagedException.class)
        .hasMessageStartingWith("mirror_000004.tar:");
    Path tiny = Files.write(dir.resolve("mirror_000006.tar"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> reader.read(tiny)).isInstanceOf(ArchiveDamagedException.class)
        .hasMessageContaining("holds no entries");
    // What 4.16 leaves behind after a failed run: a tar trailer and nothing before it.
    Path trailerOnly = Files.write(dir.resolve("mirror_000007.tar"), new byte[1024]);
    assertThatThrownBy(() -> reader.read(trailerOnly)).isInstanceOf(ArchiveDamagedException.class)
        .hasMessageContaining("holds no entries");
  }

  @Test
  void aBlobFiledUnderTheWrongDigestIsRefused() {
    TestArchives archive = new TestArchives();
    archive.entry("docker/registry/v2/blobs/sha256/ab/ab" + "0".repeat(62) + "/data", "content that hashes elsewhere");
    Path file = archive.write(dir.resolve("mirror_000005.tar"));
    assertThatThrownBy(() -> reader.read(file)).hasMessageContaining("is corrupted");
  }
}
