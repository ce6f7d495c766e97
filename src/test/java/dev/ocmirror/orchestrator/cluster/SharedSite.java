package dev.ocmirror.orchestrator.cluster;

import dev.ocmirror.orchestrator.simulator.MirrorFixture;
import dev.ocmirror.orchestrator.support.StandIns;
import dev.ocmirror.orchestrator.support.TestPostgres;
import dev.ocmirror.orchestrator.support.TestRegistry;
import dev.ocmirror.orchestrator.transfer.ManifestSignature;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What every node of a clustered test shares: one PostgreSQL database, a local mirror host, and the enclave "west"
 * (local import host, a target registry, two clusters "prod" and "dr"). The oc-mirror on either side can be slowed
 * (a file {@code slow} beside it), so that a test can kill a node in the middle of a run.
 */
record SharedSite(Path dir, MirrorFixture mirror, TestRegistry target, Map<String, String> properties) implements AutoCloseable {

  static SharedSite start(String database, Path dir) throws Exception {
    TestPostgres.recreateDatabase(database);
    MirrorFixture mirror = MirrorFixture.start(dir.resolve("source"));
    TestRegistry target = TestRegistry.start(dir.resolve("target"));
    Path mirrorOcMirror = StandIns.slowableOcMirror(dir.resolve("bin"), mirror.ocMirror());
    Path enclaveOcMirror = StandIns.slowableOcMirror(dir.resolve("west/bin"), mirror.ocMirror());
    Path oc = StandIns.oc(dir.resolve("bin"));
    ManifestSignature.writeNewKeyPair(dir.resolve("signing.pem"), dir.resolve("signing.pub.pem"));
    Map<String, String> shared = new LinkedHashMap<>();
    shared.put("spring.datasource.url", TestPostgres.url(database));
    shared.put("spring.datasource.username", TestPostgres.user());
    shared.put("spring.datasource.password", TestPostgres.password());
    shared.put("camunda.bpm.job-execution.enabled", "true");
    // An idle job executor backs off up to a minute; short waits let every node see new jobs at once.
    shared.put("camunda.bpm.job-execution.wait-time-in-millis", "200");
    shared.put("camunda.bpm.job-execution.max-wait", "1000");
    // Three job threads a node (Spring would grow to ten): one node alone cannot take every job before the other looks.
    shared.put("camunda.bpm.job-execution.core-pool-size", "3");
    shared.put("camunda.bpm.job-execution.max-pool-size", "3");
    // A dead node's jobs are taken over when their lock expires: 5 minutes by default, 8 seconds here.
    shared.put("camunda.bpm.job-execution.lock-time-in-millis", "8000");
    shared.put("orchestrator.worker.lock-duration", "PT3S");
    shared.put("orchestrator.worker.poll-interval", "PT0.2S");
    shared.put("orchestrator.mirror.host.local", "true");
    shared.put("orchestrator.mirror.oc-mirror", mirrorOcMirror.toString());
    shared.put("orchestrator.mirror.workspace-root", dir.resolve("mirror/workspaces").toString());
    shared.put("orchestrator.mirror.cache-directory", dir.resolve("mirror/cache").toString());
    shared.put("orchestrator.mirror.runs-directory", dir.resolve("mirror/runs").toString());
    shared.put("orchestrator.mirror.archive-store", dir.resolve("mirror/store").toString());
    shared.put("orchestrator.mirror.keep-for-rollback", "1");
    shared.put("orchestrator.media.staging-directory", dir.resolve("media").toString());
    shared.put("orchestrator.signing.private-key", dir.resolve("signing.pem").toString());
    shared.put("orchestrator.signing.public-key", dir.resolve("signing.pub.pem").toString());
    shared.put("orchestrator.enclaves[0].name", "west");
    shared.put("orchestrator.enclaves[0].import-host.local", "true");
    shared.put("orchestrator.enclaves[0].oc-mirror", enclaveOcMirror.toString());
    shared.put("orchestrator.enclaves[0].oc", oc.toString());
    shared.put("orchestrator.enclaves[0].cache-directory", dir.resolve("west/cache").toString());
    shared.put("orchestrator.enclaves[0].import-workspace", dir.resolve("west/imports").toString());
    shared.put("orchestrator.enclaves[0].runs-directory", dir.resolve("west/runs").toString());
    shared.put("orchestrator.enclaves[0].media-mount", dir.resolve("media").toString());
    shared.put("orchestrator.enclaves[0].registry.url", "http://" + target.hostPort());
    shared.put("orchestrator.enclaves[0].registry.namespace", "mirror");
    shared.put("orchestrator.enclaves[0].clusters[0].name", "prod");
    shared.put("orchestrator.enclaves[0].clusters[0].kubeconfig", dir.resolve("kube/prod").toString());
    shared.put("orchestrator.enclaves[0].clusters[1].name", "dr");
    shared.put("orchestrator.enclaves[0].clusters[1].kubeconfig", dir.resolve("kube/dr").toString());
    return new SharedSite(dir, mirror, target, Map.copyOf(shared));
  }

  /** Another node: the same service in its own JVM, on the same database and hosts, with its own name. */
  Process startNode(String name, Map<String, String> extra) {
    Map<String, String> node = new LinkedHashMap<>(properties);
    node.put("server.port", "0");
    node.put("camunda.bpm.generic-properties.properties.hostname", name);
    node.put("orchestrator.worker.worker-id", name);
    node.putAll(extra);
    return dev.ocmirror.orchestrator.support.OtherJvm.start(node, log(name));
  }

  Path log(String node) {
    return dir.resolve(node + ".log");
  }

  String logOf(String node) {
    try {
      return java.nio.file.Files.exists(log(node)) ? java.nio.file.Files.readString(log(node)) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  /** The slow file of the mirror host's oc-mirror, or of the enclave's. */
  Path slowFile(Optional<String> enclave) {
    return enclave.map(name -> dir.resolve(name + "/bin/slow")).orElse(dir.resolve("bin/slow"));
  }

  @Override
  public void close() {
    target.close();
    mirror.close();
  }
}
