package dev.ocmirror.orchestrator.cluster;

import dev.ocmirror.orchestrator.simulator.MirrorFixture;
import dev.ocmirror.orchestrator.support.StandIns;
import dev.ocmirror.orchestrator.support.TestPostgres;
import dev.ocmirror.orchestrator.support.TestRegistry;
import dev.ocmirror.orchestrator.transfer.ManifestSignature;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every node of a clustered test shares: one PostgreSQL database, a local mirror host, and the enclave "west"
 * or the named enclaves (each a local import host with its own cache, one target registry, two clusters "prod" and
 * "dr"). The oc-mirror on either side can be slowed
 * (a file {@code slow} beside it), so that a test can kill a node in the middle of a run.
 */
record SharedSite(Path dir, MirrorFixture mirror, TestRegistry target, Map<String, String> properties) implements AutoCloseable {

  static SharedSite start(String database, Path dir) throws Exception {
    return start(database, dir, List.of("west"));
  }

  /** A site whose enclaves are named; the first keeps its images under "mirror" in the target registry. */
  static SharedSite start(String database, Path dir, List<String> enclaves) throws Exception {
    TestPostgres.recreateDatabase(database);
    MirrorFixture mirror = MirrorFixture.start(dir.resolve("source"));
    TestRegistry target = TestRegistry.start(dir.resolve("target"));
    Path mirrorOcMirror = StandIns.slowableOcMirror(dir.resolve("bin"), mirror.ocMirror());
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
    for (int i = 0; i < enclaves.size(); i++) {
      String name = enclaves.get(i);
      String prefix = "orchestrator.enclaves[" + i + "].";
      shared.put(prefix + "name", name);
      shared.put(prefix + "import-host.local", "true");
      shared.put(prefix + "oc-mirror", StandIns.slowableOcMirror(dir.resolve(name + "/bin"), mirror.ocMirror()).toString());
      shared.put(prefix + "oc", oc.toString());
      shared.put(prefix + "cache-directory", dir.resolve(name + "/cache").toString());
      shared.put(prefix + "import-workspace", dir.resolve(name + "/imports").toString());
      shared.put(prefix + "runs-directory", dir.resolve(name + "/runs").toString());
      shared.put(prefix + "media-mount", dir.resolve("media").toString());
      shared.put(prefix + "registry.url", "http://" + target.hostPort());
      shared.put(prefix + "registry.namespace", i == 0 ? "mirror" : name);
      shared.put(prefix + "clusters[0].name", "prod");
      shared.put(prefix + "clusters[0].kubeconfig", dir.resolve("kube/prod").toString());
      shared.put(prefix + "clusters[1].name", "dr");
      shared.put(prefix + "clusters[1].kubeconfig", dir.resolve("kube/dr").toString());
    }
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
