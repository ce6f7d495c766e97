package dev.ocmirror.orchestrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocmirror.orchestrator.remote.LocalHost;
import dev.ocmirror.orchestrator.remote.SshHost;
import dev.ocmirror.orchestrator.support.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheInventoryTest {

  @TempDir
  Path dir;

  private void blob(String hex, boolean withData) throws Exception {
    Path blobDir = Files.createDirectories(dir.resolve("cache/.oc-mirror/.cache/docker/registry/v2/blobs/sha256")
        .resolve(hex.substring(0, 2)).resolve(hex));
    if (withData) {
      Files.writeString(blobDir.resolve("data"), "x");
    }
  }

  @Test
  void listsOnlyBlobsWhoseDataArrivedLocallyAndOverSsh() throws Exception {
    String complete = "ab" + "1".repeat(62);
    String other = "cd" + "2".repeat(62);
    String interrupted = "ef" + "3".repeat(62);
    blob(complete, true);
    blob(other, true);
    blob(interrupted, false);
    String cache = dir.resolve("cache").toString();

    assertThat(CacheInventory.blobs(new LocalHost(), cache)).containsExactlyInAnyOrder("sha256:" + complete, "sha256:" + other);
    try (TestSshd sshd = TestSshd.start(dir.resolve("sshd")); SshHost host = new SshHost(sshd.target())) {
      assertThat(CacheInventory.blobs(host, cache)).containsExactlyInAnyOrder("sha256:" + complete, "sha256:" + other);
    }
  }

  @Test
  void aMissingCacheHoldsNothing() {
    assertThat(CacheInventory.blobs(new LocalHost(), dir.resolve("never-created").toString())).isEmpty();
  }
}
