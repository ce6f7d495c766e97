package dev.ocmirror.orchestrator.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * oc-mirror's cache registry listens on 55000 unless told otherwise, a port Linux also hands out as the local end of
 * outgoing connections (32768 to 60999): a test's pooled database connection once held it and failed a run. Tests
 * that run the simulator directly give it a free port below that range, as the service does for every run.
 */
public final class CachePort {

  private CachePort() {
  }

  /** The arguments, with {@code --port} and a free port added to a mirroring run that names none. */
  public static List<String> added(List<String> argv, Map<String, String> environment) {
    boolean mirrors = argv.contains("--v2") && argv.stream().anyMatch(arg -> arg.startsWith("file://") || arg.startsWith("docker://"));
    if (!mirrors || argv.contains("--port") || environment.containsKey("REGISTRY_HTTP_ADDR")) {
      return argv;
    }
    List<String> withPort = new ArrayList<>(argv);
    withPort.add("--port");
    withPort.add(String.valueOf(free()));
    return withPort;
  }

  private static int free() {
    for (int tries = 0; tries < 100; tries++) {
      int port = 20000 + ThreadLocalRandom.current().nextInt(10000);
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress("0.0.0.0", port));
        return port;
      } catch (IOException taken) {
        // another one
      }
    }
    throw new IllegalStateException("No free port between 20000 and 29999");
  }
}
