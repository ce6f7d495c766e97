package dev.ocmirror.orchestrator.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ocmirror.orchestrator.integrity.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small registry (Docker registry HTTP API v2: ping, blobs, monolithic uploads, manifests by tag or digest) on
 * loopback, storing under a directory. It exists so that the demo runs with nothing but Java; tests and real
 * sites use real registries.
 */
public final class DemoRegistry implements AutoCloseable {

  private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/(sha256:[0-9a-f]{64})");
  private static final Pattern UPLOADS = Pattern.compile("/v2/(.+)/blobs/uploads/");
  private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([0-9a-f-]{36})");
  private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([A-Za-z0-9_.:-]{1,128})");
  private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+([._/-][a-z0-9]+)*");

  private final HttpServer server;
  private final Path root;

  private DemoRegistry(HttpServer server, Path root) {
    this.server = server;
    this.root = root;
  }

  public static DemoRegistry start(Path root, int port) {
    try {
      Files.createDirectories(root.resolve("blobs"));
      Files.createDirectories(root.resolve("uploads"));
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      DemoRegistry registry = new DemoRegistry(server, root);
      server.createContext("/v2/", registry::handle);
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.start();
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the demo registry on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
  }

  public String hostPort() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      Matcher matcher;
      if (path.equals("/v2/")) {
        respond(exchange, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), null);
      } else if ((matcher = UPLOAD.matcher(path)).matches() && method.equals("PUT")) {
        finishUpload(exchange, matcher.group(2));
      } else if ((matcher = UPLOADS.matcher(path)).matches() && method.equals("POST")) {
        String id = UUID.randomUUID().toString();
        exchange.getResponseHeaders().add("Location", "/v2/" + matcher.group(1) + "/blobs/uploads/" + id);
        respond(exchange, 202, null, new byte[0], null);
      } else if ((matcher = BLOB.matcher(path)).matches() && repository(matcher.group(1))) {
        Path blob = blob(matcher.group(2));
        if (!Files.exists(blob)) {
          respond(exchange, 404, "application/json", error("BLOB_UNKNOWN"), null);
        } else {
          respond(exchange, 200, "application/octet-stream", method.equals("HEAD") ? null : Files.readAllBytes(blob),
              matcher.group(2), Files.size(blob));
        }
      } else if ((matcher = MANIFEST.matcher(path)).matches() && repository(matcher.group(1))) {
        manifest(exchange, matcher.group(1), matcher.group(2), method);
      } else {
        respond(exchange, 404, "application/json", error("NAME_UNKNOWN"), null);
      }
    }
  }

  private void finishUpload(HttpExchange exchange, String id) throws IOException {
    String query = URI.create(exchange.getRequestURI().toString()).getQuery();
    String digest = query == null ? null : query.replaceFirst(".*digest=([^&]+).*", "$1");
    if (digest == null || !digest.matches("sha256:[0-9a-f]{64}")) {
      respond(exchange, 400, "application/json", error("DIGEST_INVALID"), null);
      return;
    }
    Path partial = root.resolve("uploads").resolve(id);
    try (InputStream body = exchange.getRequestBody()) {
      Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
    }
    if (!("sha256:" + Sha256.hex(partial)).equals(digest)) {
      Files.delete(partial);
      respond(exchange, 400, "application/json", error("DIGEST_INVALID"), null);
      return;
    }
    Files.move(partial, blob(digest), StandardCopyOption.REPLACE_EXISTING);
    respond(exchange, 201, null, new byte[0], digest);
  }

  private void manifest(HttpExchange exchange, String repository, String reference, String method) throws IOException {
    Path tags = root.resolve("repositories").resolve(repository).resolve("tags");
    if (method.equals("PUT")) {
      byte[] content = exchange.getRequestBody().readAllBytes();
      String digest = "sha256:" + Sha256.hex(content);
      Files.write(blob(digest), content);
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      Files.createDirectories(tags);
      Files.writeString(root.resolve("blobs").resolve(digest.substring(7) + ".type"), type == null ? "" : type);
      if (!reference.startsWith("sha256:")) {
        Files.writeString(tags.resolve(reference), digest);
      }
      respond(exchange, 201, null, new byte[0], digest);
      return;
    }
    String digest = reference.startsWith("sha256:") ? reference
        : Files.exists(tags.resolve(reference)) ? Files.readString(tags.resolve(reference)) : null;
    if (digest == null || !digest.matches("sha256:[0-9a-f]{64}") || !Files.exists(blob(digest))) {
      respond(exchange, 404, "application/json", error("MANIFEST_UNKNOWN"), null);
      return;
    }
    Path type = root.resolve("blobs").resolve(digest.substring(7) + ".type");
    String mediaType = Files.exists(type) ? Files.readString(type) : "application/vnd.oci.image.manifest.v1+json";
    byte[] content = Files.readAllBytes(blob(digest));
    respond(exchange, 200, mediaType, method.equals("HEAD") ? null : content, digest, content.length);
  }

  private Path blob(String digest) {
    return root.resolve("blobs").resolve(digest.substring("sha256:".length()));
  }

  private static boolean repository(String name) {
    return REPOSITORY.matcher(name).matches() && !name.contains("..");
  }

  private static byte[] error(String code) {
    return ("{\"errors\":[{\"code\":\"" + code + "\"}]}").getBytes(StandardCharsets.UTF_8);
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body, String digest) throws IOException {
    respond(exchange, status, type, body, digest, body == null ? 0 : body.length);
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body, String digest, long length)
      throws IOException {
    if (type != null) {
      exchange.getResponseHeaders().add("Content-Type", type);
    }
    if (digest != null) {
      exchange.getResponseHeaders().add("Docker-Content-Digest", digest);
    }
    exchange.getResponseHeaders().add("Docker-Distribution-API-Version", "registry/2.0");
    if (body == null) {
      exchange.getResponseHeaders().add("Content-Length", Long.toString(length));
      exchange.sendResponseHeaders(status, -1);
    } else {
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
