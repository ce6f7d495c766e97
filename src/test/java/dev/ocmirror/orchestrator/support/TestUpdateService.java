package dev.ocmirror.orchestrator.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What oc-mirror asks the internet for release content, on loopback: the update graph (the Cincinnati API,
 * {@code UPDATE_URL_OVERRIDE}) per channel, and release signatures ({@code OCP_SIGNATURE_URL}).
 */
public final class TestUpdateService implements AutoCloseable {

  private final HttpServer server;
  private final Map<String, String> graphs = new ConcurrentHashMap<>();
  private final Map<String, byte[]> signatures = new ConcurrentHashMap<>();

  private TestUpdateService(HttpServer server) {
    this.server = server;
  }

  public static TestUpdateService start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      TestUpdateService service = new TestUpdateService(server);
      server.createContext("/graph", service::graph);
      server.createContext("/signatures/", service::signature);
      server.start();
      return service;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value for {@code UPDATE_URL_OVERRIDE}. */
  public String graphUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/graph";
  }

  /** The value for {@code OCP_SIGNATURE_URL}. */
  public String signatureUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/signatures/";
  }

  public void channel(String name, String graphJson) {
    graphs.put(name, graphJson);
  }

  public void signature(String digest, byte[] content) {
    signatures.put(digest, content);
  }

  private void graph(HttpExchange exchange) throws IOException {
    String channel = null;
    String query = exchange.getRequestURI().getRawQuery();
    for (String pair : query == null ? new String[0] : query.split("&")) {
      if (pair.startsWith("channel=")) {
        channel = URLDecoder.decode(pair.substring("channel=".length()), StandardCharsets.UTF_8);
      }
    }
    String graph = channel == null ? null : graphs.get(channel);
    respond(exchange, graph == null ? 404 : 200, graph == null ? "{\"kind\":\"Error\",\"reason\":\"unknown channel\"}"
        .getBytes(StandardCharsets.UTF_8) : graph.getBytes(StandardCharsets.UTF_8));
  }

  private void signature(HttpExchange exchange) throws IOException {
    // /signatures/sha256=<hex>/signature-1
    String[] parts = exchange.getRequestURI().getPath().split("/");
    String digest = parts.length > 2 ? parts[2].replace('=', ':') : "";
    byte[] content = signatures.get(digest);
    respond(exchange, content == null ? 404 : 200, content == null ? new byte[0] : content);
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
