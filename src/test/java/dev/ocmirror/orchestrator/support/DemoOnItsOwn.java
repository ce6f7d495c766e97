package dev.ocmirror.orchestrator.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The demo profile as a test runs it: its own directory, free ports for its two registries, its own in-memory
 * database, and a worker that looks every 0.2 s. Returns the directory (its configurations, keys, media).
 */
public final class DemoOnItsOwn {

  private DemoOnItsOwn() {
  }

  public static Path register(DynamicPropertyRegistry registry) {
    try {
      Path directory = Files.createTempDirectory("demo");
      registry.add("orchestrator.demo.directory", directory::toString);
      // Suppliers are asked on every lookup: the ports are chosen once.
      int sourcePort = freePort();
      int targetPort = freePort();
      registry.add("orchestrator.demo.source-port", () -> sourcePort);
      registry.add("orchestrator.demo.target-port", () -> targetPort);
      registry.add("orchestrator.worker.poll-interval", () -> "PT0.2S");
      String database = "jdbc:h2:mem:demo-" + UUID.randomUUID() + ";DB_CLOSE_ON_EXIT=FALSE";
      registry.add("spring.datasource.url", () -> database);
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
