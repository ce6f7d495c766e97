package dev.ocmirror.orchestrator.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocmirror.orchestrator.integrity.Sha256;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The few calls of the Docker registry HTTP API v2 that moving images needs, over plain HTTP (the test
 * registries listen on loopback). Used by the simulator and by the registry fixture of the tests.
 */
public final class RegistryClient {

  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String ACCEPT = String.join(", ",
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;

  public RegistryClient(String hostPort) {
    this.base = "http://" + hostPort + "/v2/";
  }

  public record Manifest(byte[] content, String mediaType, String digest) {
  }

  public Optional<Manifest> manifest(String repository, String reference) throws IOException {
    HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri(repository + "/manifests/" + reference))
        .header("Accept", ACCEPT).GET());
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    expect(response, 200, "GET manifest " + repository + ":" + reference);
    byte[] content = response.body();
    String type = response.headers().firstValue("Content-Type").orElse("application/vnd.oci.image.manifest.v1+json");
    return Optional.of(new Manifest(content, type, "sha256:" + Sha256.hex(content)));
  }

  public Optional<byte[]> blob(String repository, String digest) throws IOException {
    HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri(repository + "/blobs/" + digest)).GET());
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    expect(response, 200, "GET blob " + repository + "@" + digest);
    return Optional.of(response.body());
  }

  public boolean hasBlob(String repository, String digest) throws IOException {
    return send(HttpRequest.newBuilder(uri(repository + "/blobs/" + digest))
        .method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode() == 200;
  }

  public void putBlob(String repository, String digest, byte[] content) throws IOException {
    if (hasBlob(repository, digest)) {
      return;
    }
    HttpResponse<byte[]> started = send(HttpRequest.newBuilder(uri(repository + "/blobs/uploads/"))
        .POST(HttpRequest.BodyPublishers.noBody()));
    expect(started, 202, "start upload to " + repository);
    String location = started.headers().firstValue("Location").orElseThrow(() -> new IOException("upload without Location"));
    URI upload = URI.create(base).resolve(location);
    String separator = upload.getQuery() == null ? "?" : "&";
    HttpResponse<byte[]> done = send(HttpRequest.newBuilder(URI.create(upload + separator + "digest=" + digest))
        .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
    expect(done, 201, "upload blob " + digest + " to " + repository);
  }

  public String putManifest(String repository, String reference, Manifest manifest) throws IOException {
    HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri(repository + "/manifests/" + reference))
        .header("Content-Type", manifest.mediaType()).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.content())));
    expect(response, 201, "PUT manifest " + repository + ":" + reference);
    return response.headers().firstValue("Docker-Content-Digest").orElse(manifest.digest());
  }

  /**
   * Pushes a single-platform OCI image made of the given layers (gzip-compressed tars, see {@link Layers}) and a
   * config naming it; returns its manifest digest. For the demo's and the tests' source images.
   */
  public String pushImage(String repository, String tag, byte[]... layers) throws IOException {
    return pushImage(repository, tag, Map.of("image", repository + ":" + tag), List.of(layers));
  }

  /** As {@link #pushImage(String, String, byte[]...)}, with the labels of the image's config. */
  public String pushImage(String repository, String tag, Map<String, String> labels, List<byte[]> layers) throws IOException {
    Manifest manifest = image(labels, layers, (digest, content) -> putBlob(repository, digest, content));
    return putManifest(repository, tag, manifest);
  }

  /** What receives the blobs of an image being built. */
  @FunctionalInterface
  interface BlobSink {
    void put(String digest, byte[] content) throws IOException;
  }

  /** Builds an image: its config (labels, the layers' diff_ids) and layers go to the sink; returns its manifest. */
  static Manifest image(Map<String, String> labels, List<byte[]> layers, BlobSink blobs) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode config = json.createObjectNode().put("architecture", "amd64").put("os", "linux");
    ObjectNode labelNode = config.putObject("config").putObject("Labels");
    new TreeMap<>(labels).forEach(labelNode::put);
    ArrayNode diffIds = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
    layers.forEach(layer -> diffIds.add(Layers.diffId(layer)));
    byte[] configBytes = json.writeValueAsBytes(config);
    String configDigest = "sha256:" + Sha256.hex(configBytes);
    blobs.put(configDigest, configBytes);
    ObjectNode manifest = json.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
    manifest.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json").put("digest", configDigest)
        .put("size", configBytes.length);
    ArrayNode layerNodes = manifest.putArray("layers");
    for (byte[] layer : layers) {
      String digest = "sha256:" + Sha256.hex(layer);
      blobs.put(digest, layer);
      layerNodes.addObject().put("mediaType", Layers.MEDIA_TYPE).put("digest", digest).put("size", layer.length);
    }
    byte[] content = json.writeValueAsBytes(manifest);
    return new Manifest(content, OCI_MANIFEST, "sha256:" + Sha256.hex(content));
  }

  public boolean ping() {
    try {
      return send(HttpRequest.newBuilder(URI.create(base)).GET()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException {
    try {
      return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void expect(HttpResponse<byte[]> response, int status, String what) throws IOException {
    if (response.statusCode() != status) {
      throw new IOException(what + ": HTTP " + response.statusCode() + " " + new String(response.body()).trim());
    }
  }
}
