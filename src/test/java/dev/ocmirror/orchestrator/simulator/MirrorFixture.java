package dev.ocmirror.orchestrator.simulator;

import dev.ocmirror.orchestrator.support.TestRegistry;
import java.nio.file.Path;

/**
 * What tests of mirroring share: a source registry holding three images that share a base layer, as in the
 * contract's section 8, and the simulator installed as an {@code oc-mirror} executable.
 */
public record MirrorFixture(TestRegistry source, String ocMirror, String alpha, String beta, String gamma) implements AutoCloseable {

  public static MirrorFixture start(Path directory) {
    TestRegistry source = TestRegistry.start(directory.resolve("source"));
    byte[] base = TestRegistry.randomLayer(64 * 1024);
    for (String name : new String[] {"alpha", "beta", "gamma"}) {
      source.pushImage("demo/" + name, "v1", base, TestRegistry.randomLayer(16 * 1024));
    }
    String ocMirror = SimulatorInstallation.install(directory.resolve("bin")).toString();
    return new MirrorFixture(source, ocMirror, source.hostPort() + "/demo/alpha:v1", source.hostPort() + "/demo/beta:v1",
        source.hostPort() + "/demo/gamma:v1");
  }

  @Override
  public void close() {
    source.close();
  }
}
