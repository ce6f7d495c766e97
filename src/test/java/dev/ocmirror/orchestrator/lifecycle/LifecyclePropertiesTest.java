package dev.ocmirror.orchestrator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocmirror.orchestrator.ocmirror.OcMirrorEnvironment;
import dev.ocmirror.orchestrator.ocmirror.OcMirrorFlags;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A wrong configuration names every problem under the key it is written with, before any lifecycle runs. */
class LifecyclePropertiesTest {

  @TempDir
  Path dir;

  @Test
  void aWholeConfigurationHasNoProblem() {
    assertThat(new StepBench(dir).properties.problems()).isEmpty();
  }

  @Test
  void nothingConfiguredNamesWhatTheMirrorSideNeeds() {
    LifecycleProperties none = new LifecycleProperties(null, null, null, null, null, null, null);
    assertThat(none.problems()).containsExactly(
        "orchestrator.media.staging-directory: where transfers are written for the media",
        "orchestrator.mirror.archive-store: is required",
        "orchestrator.mirror.cache-directory: is required",
        "orchestrator.mirror.host: say where oc-mirror runs ('local: true' or an SSH host)",
        "orchestrator.mirror.keep-for-rollback: must be at least 1 (rollback needs the previous generation)",
        "orchestrator.mirror.oc-mirror: is required",
        "orchestrator.mirror.runs-directory: is required",
        "orchestrator.mirror.workspace-root: is required",
        "orchestrator.signing.private-key: transfer manifests are always signed",
        "orchestrator.signing.public-key: receipts are always checked against it");
  }

  @Test
  void eachWrongEntryOfAnEnclaveIsNamedWithItsIndex() {
    LifecycleProperties good = new StepBench(dir).properties;
    LifecycleProperties.Enclave north = good.enclaves().get(0);
    LifecycleProperties.HostAccess sshWithoutKeys = new LifecycleProperties.HostAccess(false, "import.north", 22, null, null,
        null);
    LifecycleProperties.Enclave broken = new LifecycleProperties.Enclave("North_1", sshWithoutKeys, north.ocMirror(), null,
        "relative/cache", north.importWorkspace(), north.runsDirectory(), north.mediaMount(),
        new LifecycleProperties.Registry("ftp://registry", null, null, null, null),
        List.of(new LifecycleProperties.Cluster("prod", "/k"), new LifecycleProperties.Cluster("prod", "kube")), null,
        new OcMirrorFlags(false, null, 11, null, null, null, null, null, null, "policy.json", null, null, null),
        new OcMirrorEnvironment("ftp://graph", null, null, "http://proxy:3128", "a.example, $(x)"), null, null);
    LifecycleProperties.Enclave twin = north;
    LifecycleProperties wrong = new LifecycleProperties(good.mirror(), good.media(), good.signing(), good.approval(),
        good.worker(), good.update(), List.of(north, broken, twin));

    assertThat(wrong.problems()).containsExactly(
        "orchestrator.enclaves: 'north' is used twice",
        "orchestrator.enclaves[1].cache-directory: must be an absolute path",
        "orchestrator.enclaves[1].clusters: 'prod' is listed more than once",
        "orchestrator.enclaves[1].clusters[1].kubeconfig: must be an absolute path",
        "orchestrator.enclaves[1].environment.no-proxy: must be a comma-separated list of hosts, domains and networks",
        "orchestrator.enclaves[1].environment.update-url: must be an http:// or https:// URL",
        "orchestrator.enclaves[1].flags.parallel-images: must be 1..10",
        "orchestrator.enclaves[1].flags.policy: must be an absolute path",
        "orchestrator.enclaves[1].import-host.known-hosts: an SSH host needs a known_hosts file (host keys are always checked)",
        "orchestrator.enclaves[1].import-host.private-key: an SSH host needs a private key file (key login only)",
        "orchestrator.enclaves[1].import-host.user: an SSH host needs a user",
        "orchestrator.enclaves[1].name: lower-case letters, digits and inner hyphens, up to 64",
        "orchestrator.enclaves[1].oc: is required to apply cluster resources to the clusters listed",
        "orchestrator.enclaves[1].registry.url: https://HOST[:PORT] of the target registry");
  }

  @Test
  void localAndAnSshHostExcludeEachOther() {
    LifecycleProperties good = new StepBench(dir).properties;
    LifecycleProperties.Mirror mirror = good.mirror();
    LifecycleProperties both = new LifecycleProperties(new LifecycleProperties.Mirror(
        new LifecycleProperties.HostAccess(true, "mirror.example", null, null, null, null), false, mirror.ocMirror(),
        mirror.workspaceRoot(), mirror.cacheDirectory(), mirror.runsDirectory(), mirror.archiveStore(), 1, null, null),
        good.media(), good.signing(), good.approval(), good.worker(), good.update(), good.enclaves());
    assertThat(both.problems()).containsExactly(
        "orchestrator.mirror.host.host: 'local: true' and an SSH host 'mirror.example' exclude each other");
  }

  @Test
  void flagsBindFromTheKeysTheReadmeNames() {
    java.util.Map<String, String> keys = new java.util.LinkedHashMap<>();
    keys.put("orchestrator.mirror.oc-mirror", "/usr/local/bin/oc-mirror");
    keys.put("orchestrator.mirror.runs-directory", "/srv/ocmirror/runs");
    keys.put("orchestrator.mirror.flags.src-tls-verify", "false");
    keys.put("orchestrator.mirror.flags.retry-delay", "PT30S");
    keys.put("orchestrator.mirror.flags.image-timeout", "PT10M");
    keys.put("orchestrator.mirror.flags.registries-d", "/etc/containers/registries.d");
    keys.put("orchestrator.mirror.flags.authfile", "/etc/ocmirror/auth.json");
    keys.put("orchestrator.mirror.environment.https-proxy", "http://proxy.example:3128");
    keys.put("orchestrator.mirror.environment.no-proxy", ".example,10.0.0.0/8");
    keys.put("orchestrator.enclaves[0].name", "north");
    keys.put("orchestrator.enclaves[0].registry.url", "http://registry.north:5000");
    keys.put("orchestrator.enclaves[0].oc-mirror", "/usr/local/bin/oc-mirror");
    keys.put("orchestrator.enclaves[0].runs-directory", "/var/lib/ocmirror/runs");
    keys.put("orchestrator.enclaves[0].flags.retry-times", "5");
    LifecycleProperties bound = new org.springframework.boot.context.properties.bind.Binder(
        new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(keys))
        .bind("orchestrator", LifecycleProperties.class).get();
    assertThat(bound.mirror().settings().flags().arguments()).containsExactly("--src-tls-verify=false", "--retry-delay", "30s",
        "--image-timeout", "10m0s", "--registries.d", "/etc/containers/registries.d", "--authfile", "/etc/ocmirror/auth.json");
    assertThat(bound.mirror().settings().environment().variables()).containsExactly(
        java.util.Map.entry("HTTPS_PROXY", "http://proxy.example:3128"), java.util.Map.entry("NO_PROXY", ".example,10.0.0.0/8"));
    assertThat(bound.enclaves().get(0).settings().flags().arguments()).as("plain HTTP registry")
        .containsExactly("--dest-tls-verify=false", "--retry-times", "5");
  }
}
