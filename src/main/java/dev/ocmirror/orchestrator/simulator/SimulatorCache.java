package dev.ocmirror.orchestrator.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * oc-mirror's local cache, {@code <cache-dir>/.oc-mirror/.cache}, in the on-disk layout of the distribution
 * registry it embeds (contract section 2). The simulator reads and writes it directly.
 */
final class SimulatorCache {

  private final Path registry;

  SimulatorCache(Path cacheDirectory) {
    this.registry = cacheDirectory.resolve(".oc-mirror/.cache/docker/registry/v2");
  }

  Path root() {
    return registry.getParent().getParent();
  }

  Path repositories() {
    return registry.resolve("repositories");
  }

  Path blobFile(String digest) {
    String hex = digest.substring("sha256:".length());
    return registry.resolve("blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex).resolve("data");
  }

  boolean hasBlob(String digest) {
    return Files.isRegularFile(blobFile(digest));
  }

  Optional<byte[]> blob(String digest) throws IOException {
    Path file = blobFile(digest);
    return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
  }

  void putBlob(String digest, byte[] content) throws IOException {
    Path file = blobFile(digest);
    if (!Files.exists(file)) {
      Files.createDirectories(file.getParent());
      Files.write(file, content);
    }
  }

  void linkLayer(String repository, String digest) throws IOException {
    link(repositories().resolve(repository).resolve("_layers/sha256").resolve(hex(digest)).resolve("link"), digest);
  }

  void linkManifest(String repository, String digest) throws IOException {
    link(repositories().resolve(repository).resolve("_manifests/revisions/sha256").resolve(hex(digest)).resolve("link"), digest);
  }

  void linkTag(String repository, String tag, String digest) throws IOException {
    Path tagDir = repositories().resolve(repository).resolve("_manifests/tags").resolve(tag);
    link(tagDir.resolve("current/link"), digest);
    link(tagDir.resolve("index/sha256").resolve(hex(digest)).resolve("link"), digest);
  }

  Optional<String> tag(String repository, String tag) throws IOException {
    Path link = repositories().resolve(repository).resolve("_manifests/tags").resolve(tag).resolve("current/link");
    return Files.isRegularFile(link) ? Optional.of(Files.readString(link).trim()) : Optional.empty();
  }

  private static void link(Path file, String digest) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, digest, StandardCharsets.UTF_8);
  }

  private static String hex(String digest) {
    return digest.substring("sha256:".length());
  }
}
