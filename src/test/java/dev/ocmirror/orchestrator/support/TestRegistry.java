package dev.ocmirror.orchestrator.support;

import dev.ocmirror.orchestrator.simulator.Layers;
import dev.ocmirror.orchestrator.simulator.RegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** A real Docker registry v2 (Debian's docker-registry) on 127.0.0.1 and a free port, storage in a test directory. */
public final class TestRegistry implements AutoCloseable {

  private static final Path BINARY = Path.of("/usr/bin/docker-registry");
  private static final Random RANDOM = new Random();

  private final Process process;
  private final String hostPort;
  private final RegistryClient client;

  private TestRegistry(Process process, String hostPort) {
    this.process = process;
    this.hostPort = hostPort;
    this.client = new RegistryClient(hostPort);
  }

  public static TestRegistry start(Path dir) {
    if (!Files.isExecutable(BINARY)) {
      String message = "Docker registry not installed (" + BINARY + "); apt-get install docker-registry";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(message);
      }
      Assumptions.abort(message);
    }
    try {
      Files.createDirectories(dir.resolve("storage"));
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      Path config = Files.writeString(dir.resolve("config.yml"), String.join("\n",
          "version: 0.1",
          "log:",
          "  level: error",
          "storage:",
          "  filesystem:",
          "    rootdirectory: " + dir.resolve("storage"),
          "  delete:",
          "    enabled: true",
          "http:",
          "  addr: 127.0.0.1:" + port, ""));
      Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
      TestRegistry registry = new TestRegistry(process, "127.0.0.1:" + port);
      for (int attempt = 0; attempt < 200 && !registry.client.ping(); attempt++) {
        if (!process.isAlive()) {
          throw new IllegalStateException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
        }
        Thread.sleep(50);
      }
      if (!registry.client.ping()) {
        registry.close();
        throw new IllegalStateException("docker-registry did not answer on " + registry.hostPort);
      }
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String hostPort() {
    return hostPort;
  }

  public RegistryClient client() {
    return client;
  }

  /** A real layer (a gzip-compressed tar) holding one file of random bytes. */
  public static byte[] randomLayer(int size) {
    byte[] bytes = new byte[size];
    RANDOM.nextBytes(bytes);
    return Layers.tarGz(Map.of("data/" + Long.toHexString(RANDOM.nextLong()), bytes));
  }

  /** Pushes an OCI image made of the given layers (identical byte arrays become one shared blob). */
  public String pushImage(String repository, String tag, byte[]... layers) {
    try {
      return client.pushImage(repository, tag, layers);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The digest of the manifest under repository:tag, or null when there is none. */
  public String manifestDigest(String repository, String tag) {
    try {
      return client.manifest(repository, tag).map(RegistryClient.Manifest::digest).orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
