package dev.ocmirror.orchestrator.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Writes tar files laid out like oc-mirror's archives (contract section 3), for ledger and step tests. */
public final class TestArchives {

  private final Map<String, byte[]> entries = new LinkedHashMap<>();
  private final Random random;

  public TestArchives() {
    this(42);
  }

  public TestArchives(long seed) {
    random = new Random(seed);
  }

  public static String sha256(byte[] content) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    return bytes;
  }

  /** Adds an image (config + layers + manifest) under repo:tag and returns the manifest digest. */
  public String image(String repo, String tag, byte[]... layers) {
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"image\":\"" + repo + ":" + tag + "\"}").getBytes(StandardCharsets.UTF_8);
    StringBuilder manifest = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",")
        .append("\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"").append(sha256(config))
        .append("\",\"size\":").append(config.length).append("},\"layers\":[");
    for (int i = 0; i < layers.length; i++) {
      blob(layers[i]);
      manifest.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"")
          .append(sha256(layers[i])).append("\",\"size\":").append(layers[i].length).append('}');
    }
    byte[] manifestBytes = manifest.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    blob(config);
    String digest = blob(manifestBytes);
    String hex = digest.substring(7);
    entry("docker/registry/v2/repositories/" + repo + "/_manifests/tags/" + tag + "/current/link", digest);
    entry("docker/registry/v2/repositories/" + repo + "/_manifests/revisions/sha256/" + hex + "/link", digest);
    return digest;
  }

  public String blob(byte[] content) {
    String digest = sha256(content);
    String hex = digest.substring(7);
    entries.put("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data", content);
    return digest;
  }

  public TestArchives entry(String name, String content) {
    entries.put(name, content.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  public TestArchives entry(String name, byte[] content) {
    entries.put(name, content);
    return this;
  }

  /** Leaves out blobs an earlier generation archived, as oc-mirror does with the digests of its history. */
  public TestArchives omitting(java.util.Collection<String> digests) {
    for (String digest : digests) {
      String hex = digest.substring(7);
      entries.remove("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
    }
    return this;
  }

  /** The previous history the archive's working-dir carries. */
  public TestArchives history(java.util.Collection<String> digests) {
    return entry("working-dir/.history/.history-2026-01-01T00:00:00Z", String.join("\n", digests) + "\n");
  }

  public Path write(Path file) {
    try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        TarArchiveEntry header = new TarArchiveEntry(entry.getKey());
        header.setSize(entry.getValue().length);
        tar.putArchiveEntry(header);
        tar.write(entry.getValue());
        tar.closeArchiveEntry();
      }
      tar.finish();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
