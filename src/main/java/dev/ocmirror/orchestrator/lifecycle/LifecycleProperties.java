package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.ledger.ArchiveStore;
import dev.ocmirror.orchestrator.ocmirror.OcMirrorSettings;
import dev.ocmirror.orchestrator.remote.SshTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the lifecycle runs: the mirror host, the media, the signing key and every enclave. Read once at
 * start and checked as a whole, so a wrong entry stops the service with every problem named instead of
 * failing a lifecycle weeks later.
 */
@ConfigurationProperties("orchestrator")
public record LifecycleProperties(Mirror mirror, Media media, Signing signing, Approval approval, Worker worker,
    Update update, List<Enclave> enclaves) {

  public LifecycleProperties {
    mirror = mirror == null ? new Mirror(null, false, null, null, null, null, null, null, 0) : mirror;
    media = media == null ? new Media(null) : media;
    signing = signing == null ? new Signing(null, null) : signing;
    approval = approval == null ? new Approval(null) : approval;
    worker = worker == null ? new Worker(true, null, null, null, 0) : worker;
    update = update == null ? new Update(null, null) : update;
    enclaves = enclaves == null ? List.of() : List.copyOf(enclaves);
  }

  /**
   * The scheduled update.
   *
   * @param schedule when {@code mirror-update} starts by itself: a Camunda time cycle, cron ({@code 0 0 2 1 * ?},
   *     the default: 02:00 on the first of each month) or ISO-8601 ({@code R/2027-01-01T02:00:00Z/P1M})
   * @param configurationFile the ImageSetConfiguration a scheduled update uses; when unset, the configuration of
   *     the newest generation is mirrored again (new content under the same channels and tags)
   */
  public record Update(String schedule, Path configurationFile) {

    public Update {
      schedule = schedule == null || schedule.isBlank() ? "0 0 2 1 * ?" : schedule;
    }
  }

  /** A host reached locally (the service's own machine) or over SSH with key login and checked host keys. */
  public record HostAccess(boolean local, String host, Integer port, String user, Path privateKey, Path knownHosts) {

    public SshTarget sshTarget() {
      return new SshTarget(host, port == null ? 22 : port, user, privateKey, knownHosts);
    }

    public String describe() {
      return local ? "local" : "ssh://" + user + "@" + host + ":" + (port == null ? 22 : port);
    }

    void check(String where, List<String> problems) {
      if (local) {
        if (host != null) {
          problems.add(where + ": 'local: true' and an SSH host '" + host + "' exclude each other");
        }
        return;
      }
      if (host == null || host.isBlank()) {
        problems.add(where + ": set 'local: true' or an SSH 'host'");
        return;
      }
      if (user == null || user.isBlank()) {
        problems.add(where + ": an SSH host needs a 'user'");
      }
      if (privateKey == null) {
        problems.add(where + ": an SSH host needs a 'private-key' file (key login only)");
      }
      if (knownHosts == null) {
        problems.add(where + ": an SSH host needs a 'known-hosts' file (host keys are always checked)");
      }
    }
  }

  /**
   * The connected side.
   *
   * @param workspaceRoot one workspace per lineage below it; its working-dir keeps the history that makes
   *     archives differential, so it must survive between runs
   * @param keepForRollback generations kept in the store beyond what an enclave still lacks
   * @param simulated the oc-mirror configured is the simulator (demo): every lifecycle says so to its users
   */
  public record Mirror(HostAccess host, boolean simulated, String ocMirror, String workspaceRoot, String cacheDirectory, String runsDirectory,
      String archiveStore, String authFile, int keepForRollback) {

    public OcMirrorSettings settings() {
      return new OcMirrorSettings(ocMirror, runsDirectory, authFile, null, null, List.of());
    }

    /** The lineage's oc-mirror workspace: its working-dir keeps the history that makes archives differential. */
    public String workspace(String lineage) {
      return workspaceRoot + "/" + lineage;
    }

    /** The dry run's image list of a generation, kept until the generation is recorded. */
    public String mappingFile(String lineage, int generation) {
      return runsDirectory + "/" + lineage + "-generation-" + generation + ".mapping.txt";
    }
  }

  /** Where the service writes transfers: one directory per transfer, standing for the removable disk. */
  public record Media(Path stagingDirectory) {
  }

  /** Ed25519 keys in PEM: the private one signs transfer manifests, the public one checks them at receipt. */
  public record Signing(Path privateKey, Path publicKey) {
  }

  /** @param reminderAfter how long an approval may wait before a reminder is raised */
  public record Approval(Duration reminderAfter) {

    public Approval {
      reminderAfter = reminderAfter == null ? Duration.ofDays(2) : reminderAfter;
    }
  }

  /**
   * The worker that runs oc-mirror for external tasks.
   *
   * @param lockDuration how long a fetched task stays locked without a heartbeat; short, so another node takes
   *     over soon after this one dies
   * @param pollInterval how often the worker asks for work and looks at running runs
   * @param maxRuns oc-mirror runs this node follows at once
   */
  public record Worker(Boolean enabled, String workerId, Duration lockDuration, Duration pollInterval, int maxRuns) {

    public Worker {
      enabled = enabled == null || enabled;
      lockDuration = lockDuration == null ? Duration.ofMinutes(2) : lockDuration;
      pollInterval = pollInterval == null ? Duration.ofSeconds(2) : pollInterval;
      maxRuns = maxRuns <= 0 ? 4 : maxRuns;
    }
  }

  /**
   * A disconnected site.
   *
   * @param mediaMount where the import host sees the media's root once it is mounted there
   * @param importWorkspace one directory per imported generation; keeps the cluster resources for rollback
   */
  /**
   * @param receiptBySender whether the operator who handed the media over may also confirm their receipt:
   *     {@code refuse} (the default) or {@code allow}, for a site where one person does both
   */
  public record Enclave(String name, HostAccess importHost, String ocMirror, String oc, String cacheDirectory,
      String importWorkspace, String runsDirectory, String mediaMount, Registry registry, List<Cluster> clusters,
      ReceiptBySender receiptBySender) {

    public Enclave {
      clusters = clusters == null ? List.of() : List.copyOf(clusters);
      receiptBySender = receiptBySender == null ? ReceiptBySender.REFUSE : receiptBySender;
    }

    public boolean senderMayConfirmReceipt() {
      return receiptBySender == ReceiptBySender.ALLOW;
    }

    /** Where the import host sees the media of a transfer. */
    public String mediaDirectory(String transferId) {
      return mediaMount + "/" + transferId;
    }

    /**
     * Where a generation is imported from on the import host: its archives, and beside them oc-mirror's
     * working-dir with the cluster resources that rollback applies again.
     */
    public String importDirectory(String lineage, int generation) {
      return importWorkspace + "/" + lineage + "/" + ArchiveStore.generationName(generation);
    }

    public OcMirrorSettings settings() {
      return new OcMirrorSettings(ocMirror, runsDirectory, null, null, null,
          registry != null && registry.url() != null && registry.url().startsWith("http://")
              ? List.of("--dest-tls-verify=false") : List.of());
    }
  }

  public enum ReceiptBySender { REFUSE, ALLOW }

  /**
   * The enclave's target registry, checked over the registry API after every import.
   *
   * @param url {@code https://host:port} (or {@code http://} for a registry without TLS)
   * @param namespace the path oc-mirror pushes under, e.g. {@code mirror}
   * @param caFile PEM certificates to trust for this registry, in addition to the JDK's
   * @param username basic or token authentication; the password is read from {@code passwordFile}, never from
   *     this configuration
   */
  public record Registry(String url, String namespace, Path caFile, String username, Path passwordFile) {

    public String hostPort() {
      return url.replaceFirst("^https?://", "").replaceFirst("/+$", "");
    }

    public String destination() {
      return "docker://" + hostPort() + (namespace == null || namespace.isBlank() ? "" : "/" + namespace);
    }
  }

  /** @param kubeconfig path of the kubeconfig on the import host */
  public record Cluster(String name, String kubeconfig) {
  }

  public Enclave enclave(String name) {
    return findEnclave(name).orElseThrow(() -> new IllegalArgumentException("No enclave named '" + name
        + "' is configured; known: " + enclaves.stream().map(Enclave::name).toList()));
  }

  public Optional<Enclave> findEnclave(String name) {
    return enclaves.stream().filter(enclave -> enclave.name().equals(name)).findFirst();
  }

  public List<String> enclaveNames() {
    return enclaves.stream().map(Enclave::name).toList();
  }

  /** Every problem of the lifecycle configuration; empty when the lifecycle can run. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (mirror.host() == null) {
      problems.add("orchestrator.mirror.host: say where oc-mirror runs ('local: true' or an SSH host)");
    } else {
      mirror.host().check("orchestrator.mirror.host", problems);
    }
    required(problems, "orchestrator.mirror.oc-mirror", mirror.ocMirror(), false);
    required(problems, "orchestrator.mirror.workspace-root", mirror.workspaceRoot(), true);
    required(problems, "orchestrator.mirror.cache-directory", mirror.cacheDirectory(), true);
    required(problems, "orchestrator.mirror.runs-directory", mirror.runsDirectory(), true);
    required(problems, "orchestrator.mirror.archive-store", mirror.archiveStore(), true);
    if (mirror.keepForRollback() < 1) {
      problems.add("orchestrator.mirror.keep-for-rollback must be at least 1 (rollback needs the previous generation)");
    }
    if (media.stagingDirectory() == null) {
      problems.add("orchestrator.media.staging-directory: where transfers are written for the media");
    }
    if (signing.privateKey() == null || signing.publicKey() == null) {
      problems.add("orchestrator.signing.private-key and public-key: transfer manifests are always signed");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < enclaves.size(); i++) {
      Enclave enclave = enclaves.get(i);
      String where = "orchestrator.enclaves[" + i + "]";
      if (enclave.name() == null || !enclave.name().matches("[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?")) {
        problems.add(where + ".name: lower-case letters, digits and inner hyphens, up to 64, not '" + enclave.name() + "'");
      } else if (!names.add(enclave.name())) {
        problems.add(where + ".name: '" + enclave.name() + "' is used twice");
      }
      if (enclave.importHost() == null) {
        problems.add(where + ".import-host: say where the enclave's oc-mirror runs");
      } else {
        enclave.importHost().check(where + ".import-host", problems);
      }
      required(problems, where + ".oc-mirror", enclave.ocMirror(), false);
      required(problems, where + ".cache-directory", enclave.cacheDirectory(), true);
      required(problems, where + ".import-workspace", enclave.importWorkspace(), true);
      required(problems, where + ".runs-directory", enclave.runsDirectory(), true);
      required(problems, where + ".media-mount", enclave.mediaMount(), true);
      if (enclave.registry() == null || enclave.registry().url() == null
          || !enclave.registry().url().matches("https?://[A-Za-z0-9.\\[\\]:-]+/?")) {
        problems.add(where + ".registry.url: https://HOST[:PORT] of the target registry");
      }
      if (!enclave.clusters().isEmpty()) {
        required(problems, where + ".oc", enclave.oc(), false);
      }
      Map<String, Long> clusterNames = enclave.clusters().stream()
          .collect(Collectors.groupingBy(cluster -> String.valueOf(cluster.name()), Collectors.counting()));
      clusterNames.forEach((cluster, count) -> {
        if (count > 1) {
          problems.add(where + ".clusters: '" + cluster + "' is listed " + count + " times");
        }
      });
      for (Cluster cluster : enclave.clusters()) {
        required(problems, where + ".clusters[" + cluster.name() + "].kubeconfig", cluster.kubeconfig(), true);
      }
    }
    return problems;
  }

  private static void required(List<String> problems, String key, String value, boolean absolute) {
    if (value == null || value.isBlank()) {
      problems.add(key + " is required");
    } else if (absolute && !value.startsWith("/")) {
      problems.add(key + " must be an absolute path, not '" + value + "'");
    }
  }
}
