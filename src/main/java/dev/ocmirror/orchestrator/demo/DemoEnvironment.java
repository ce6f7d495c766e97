package dev.ocmirror.orchestrator.demo;

import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import dev.ocmirror.orchestrator.simulator.Layers;
import dev.ocmirror.orchestrator.simulator.RegistryClient;
import dev.ocmirror.orchestrator.simulator.SimulatorInstallation;
import dev.ocmirror.orchestrator.transfer.ManifestSignature;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Everything the demo needs on one machine with only Java: a source and a target registry in this JVM, demo
 * images, two months of ImageSetConfiguration, a signing key pair, the oc-mirror SIMULATOR installed as
 * {@code oc-mirror}, and an {@code oc} that records what it would apply. Says loudly that it is a simulation.
 */
@Component
@Profile("demo")
public class DemoEnvironment {

  private static final Logger LOG = LoggerFactory.getLogger(DemoEnvironment.class);
  private static final List<String> MONTH_ONE = List.of("demo/hello:v1", "demo/web:v1");
  private static final List<String> MONTH_TWO = List.of("demo/hello:v1", "demo/web:v1", "demo/db:v1");

  private final DemoRegistry source;
  private final DemoRegistry target;

  public DemoEnvironment(@Value("${orchestrator.demo.directory}") Path directory,
      @Value("${orchestrator.demo.source-port}") int sourcePort, @Value("${orchestrator.demo.target-port}") int targetPort,
      LifecycleProperties properties) throws IOException {
    Files.createDirectories(directory);
    keys(directory);
    SimulatorInstallation.install(directory.resolve("bin"));
    Path oc = directory.resolve("bin/oc");
    Files.writeString(oc, "#!/bin/sh\n# DEMO stand-in for oc: records what would be applied; there is no cluster.\n"
        + "echo \"$(date -u +%FT%TZ) oc $*\" >> \"$(dirname \"$0\")/../oc-apply.log\"\n");
    Files.setPosixFilePermissions(oc, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(directory.resolve("kube"));
    if (properties.receivingStation()) {
      // The station of demo-island: only its own registry; the media bring everything else.
      source = null;
      target = DemoRegistry.start(directory.resolve("registries/" + properties.station().enclave()), targetPort);
      LOG.warn("""

          ******************************************************************************************
          DEMO MODE: the RECEIVING STATION of enclave {}, oc-mirror SIMULATED, registry {}.
          Take media in with "Receive media at the station" in Tasklist (user olivia / demo) and the
          directory the connected side staged under {}; site reports are written to {}.
          ******************************************************************************************""",
          properties.station().enclave(), target.hostPort(), directory.resolve("media"),
          properties.station().returnDirectory());
      return;
    }
    source = DemoRegistry.start(directory.resolve("registries/source"), sourcePort);
    target = DemoRegistry.start(directory.resolve("registries/target"), targetPort);
    RegistryClient client = new RegistryClient(source.hostPort());
    byte[] base = layer(1, 96 * 1024);
    int seed = 2;
    for (String image : MONTH_TWO) {
      String repository = image.substring(0, image.indexOf(':'));
      if (client.manifest(repository, "v1").isEmpty()) {
        client.pushImage(repository, "v1", base, layer(seed, 32 * 1024));
      }
      seed++;
    }
    Files.writeString(directory.resolve("imageset-config-month1.yaml"), config(MONTH_ONE));
    Files.writeString(directory.resolve("imageset-config-month2.yaml"), config(MONTH_TWO));
    LOG.warn("""

        ******************************************************************************************
        DEMO MODE: oc-mirror is SIMULATED. No release or operator content is mirrored; demo images
        move from the demo source registry {} to the demo target registry {}, and oc apply
        is only recorded in {}.
        Start mirror-baseline in Tasklist (user olivia / demo) with the content of
          {}
        then mirror-update with {}.
        ******************************************************************************************""",
        source.hostPort(), target.hostPort(), directory.resolve("oc-apply.log"),
        directory.resolve("imageset-config-month1.yaml"), directory.resolve("imageset-config-month2.yaml"));
  }

  private String config(List<String> images) {
    StringBuilder yaml = new StringBuilder("kind: ImageSetConfiguration\napiVersion: mirror.openshift.io/v2alpha1\n"
        + "mirror:\n  additionalImages:\n");
    images.forEach(image -> yaml.append("    - name: ").append(source.hostPort()).append('/').append(image).append('\n'));
    return yaml.toString();
  }

  /** The connected side's signing keys and those of demo-island's station, which both sides of the demo read. */
  private static void keys(Path directory) {
    for (String name : List.of("transfer-signing", "island-station")) {
      Path privateKey = directory.resolve(name + ".pem");
      if (!Files.exists(privateKey)) {
        ManifestSignature.writeNewKeyPair(privateKey, directory.resolve(name + ".pub.pem"));
      }
    }
  }

  /** A real layer (a gzip-compressed tar) holding one file of seeded random bytes. */
  private static byte[] layer(int seed, int size) {
    byte[] content = new byte[size];
    new Random(seed).nextBytes(content);
    return Layers.tarGz(Map.of("opt/demo/data-" + seed, content));
  }

  public String sourceRegistry() {
    return source.hostPort();
  }

  public String targetRegistry() {
    return target.hostPort();
  }

  @PreDestroy
  void stop() {
    if (source != null) {
      source.close();
    }
    target.close();
  }

}
