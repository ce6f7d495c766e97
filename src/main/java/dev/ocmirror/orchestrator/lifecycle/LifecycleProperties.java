package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.lifecycle.ConfigurationRules.AbsolutePath;
import dev.ocmirror.orchestrator.lifecycle.ConfigurationRules.Checked;
import dev.ocmirror.orchestrator.lifecycle.ConfigurationRules.Consistent;
import dev.ocmirror.orchestrator.lifecycle.ConfigurationRules.Problems;
import dev.ocmirror.orchestrator.ledger.ArchiveStore;
import dev.ocmirror.orchestrator.ocmirror.OcMirrorEnvironment;
import dev.ocmirror.orchestrator.ocmirror.OcMirrorFlags;
import dev.ocmirror.orchestrator.ocmirror.OcMirrorSettings;
import dev.ocmirror.orchestrator.remote.SshTarget;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path.Node;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * Where the lifecycle runs: the mirror host, the media, the signing key and every enclave. Read once at
 * start and checked as a whole, so a wrong entry stops the service with every problem named instead of
 * failing a lifecycle weeks later.
 */
@ConfigurationProperties("orchestrator")
@Checked
public record LifecycleProperties(@Valid Mirror mirror, @Valid Media media, @Valid Signing signing, Approval approval,
    Worker worker, Update update, List<@Valid Enclave> enclaves, Role role, @Valid Station station) implements Consistent {

  /** A connected side's configuration. */
  public LifecycleProperties(Mirror mirror, Media media, Signing signing, Approval approval, Worker worker, Update update,
      List<Enclave> enclaves) {
    this(mirror, media, signing, approval, worker, update, enclaves, Role.CONNECTED, null);
  }

  @ConstructorBinding
  public LifecycleProperties {
    role = role == null ? Role.CONNECTED : role;
    mirror = mirror == null ? new Mirror(null, false, null, null, null, null, null, 0, null, null) : mirror;
    media = media == null ? new Media(null, null) : media;
    signing = signing == null ? new Signing(null, null) : signing;
    approval = approval == null ? new Approval(null) : approval;
    worker = worker == null ? new Worker(true, null, null, null, 0) : worker;
    update = update == null ? new Update(null, null) : update;
    enclaves = enclaves == null ? List.of() : List.copyOf(enclaves);
  }

  /**
   * Which side of the air gap this instance serves: the connected side mirrors and delivers; a receiving station on
   * the disconnected side imports what media bring and reports back what its site holds.
   */
  public enum Role { CONNECTED, STATION }

  /**
   * A receiving station's own settings.
   *
   * @param enclave the name the connected side gives this station's enclave; the station's one configured enclave
   * @param connectedPublicKey the connected side's public key, which signs the media's manifests
   * @param reportPrivateKey the station's own Ed25519 key, which signs its site reports
   * @param returnDirectory where site reports are written for the return media
   * @param approval whether a change manager of the station approves each import ({@code required}, the default) or
   *     the station imports verified media with their prerequisites met at once ({@code not-required})
   */
  public record Station(
      @NotBlank(message = REQUIRED) String enclave,
      @NotNull(message = "the connected side's public key, which signs the media") Path connectedPublicKey,
      @NotNull(message = "the station's Ed25519 key, which signs its site reports") Path reportPrivateKey,
      @NotNull(message = "where site reports are written for the return media") Path returnDirectory,
      StationApproval approval) {

    public Station {
      approval = approval == null ? StationApproval.REQUIRED : approval;
    }

    public boolean approvalRequired() {
      return approval == StationApproval.REQUIRED;
    }
  }

  public enum StationApproval { REQUIRED, NOT_REQUIRED }

  /** How the connected side reaches an enclave: over SSH to its import host, or only by media (a true air gap). */
  public enum Reach { SSH, MEDIA }

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
  @Checked
  public record HostAccess(boolean local, String host, Integer port, String user, Path privateKey, Path knownHosts)
      implements Consistent {

    public SshTarget sshTarget() {
      return new SshTarget(host, port == null ? 22 : port, user, privateKey, knownHosts);
    }

    public String describe() {
      return local ? "local" : "ssh://" + user + "@" + host + ":" + (port == null ? 22 : port);
    }

    @Override
    public void check(Problems problems) {
      if (local) {
        if (host != null) {
          problems.add("host", "'local: true' and an SSH host '" + host + "' exclude each other");
        }
        return;
      }
      if (host == null || host.isBlank()) {
        problems.add("host", "set 'local: true' or an SSH 'host'");
        return;
      }
      if (user == null || user.isBlank()) {
        problems.add("user", "an SSH host needs a user");
      }
      if (privateKey == null) {
        problems.add("privateKey", "an SSH host needs a private key file (key login only)");
      }
      if (knownHosts == null) {
        problems.add("knownHosts", "an SSH host needs a known_hosts file (host keys are always checked)");
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
   * @param flags the oc-mirror flags this site needs on the mirror host (TLS, parallelism, retries, credentials)
   * @param environment what oc-mirror reads from its environment there: update graph, signatures, proxies
   */
  public record Mirror(
      @NotNull(message = "say where oc-mirror runs ('local: true' or an SSH host)") @Valid HostAccess host,
      boolean simulated,
      @NotBlank(message = REQUIRED) String ocMirror,
      @NotBlank(message = REQUIRED) @AbsolutePath String workspaceRoot,
      @NotBlank(message = REQUIRED) @AbsolutePath String cacheDirectory,
      @NotBlank(message = REQUIRED) @AbsolutePath String runsDirectory,
      @NotBlank(message = REQUIRED) @AbsolutePath String archiveStore,
      @Min(value = 1, message = "must be at least 1 (rollback needs the previous generation)") int keepForRollback,
      @Valid OcMirrorFlags flags,
      @Valid OcMirrorEnvironment environment) {

    public OcMirrorSettings settings() {
      return new OcMirrorSettings(ocMirror, runsDirectory, flags, environment);
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

  /**
   * Where the service writes transfers: one directory per transfer, standing for the removable disk.
   *
   * @param reportReminderAfter how long a delivery to a media enclave may wait for its site report before a reminder
   */
  public record Media(@NotNull(message = "where transfers are written for the media") Path stagingDirectory,
      Duration reportReminderAfter) {

    public Media {
      reportReminderAfter = reportReminderAfter == null ? Duration.ofDays(14) : reportReminderAfter;
    }
  }

  /** Ed25519 keys in PEM: the private one signs transfer manifests, the public one checks them at receipt. */
  public record Signing(@NotNull(message = "transfer manifests are always signed") Path privateKey,
      @NotNull(message = "receipts are always checked against it") Path publicKey) {
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
   * @param maxRuns oc-mirror runs this node follows at once (64 unless set): each is a waiting thread and a stat a
   *     quarter of a second; runs on one host are few (one mirror run at a time, one import per enclave), so a lower
   *     limit only makes the imports of different enclaves wait for each other
   */
  public record Worker(Boolean enabled, String workerId, Duration lockDuration, Duration pollInterval, int maxRuns) {

    public Worker {
      enabled = enabled == null || enabled;
      lockDuration = lockDuration == null ? Duration.ofMinutes(2) : lockDuration;
      pollInterval = pollInterval == null ? Duration.ofSeconds(2) : pollInterval;
      maxRuns = maxRuns <= 0 ? 64 : maxRuns;
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
   * @param reach {@code ssh} (the default): the service runs the delivery on the import host itself; {@code media}:
   *     no network path, a receiving station imports and reports back, and only name and station key are needed
   * @param stationPublicKey for a {@code media} enclave, the public key of its receiving station, which signs its
   *     site reports
   */
  @Checked
  public record Enclave(
      @NotNull(message = REQUIRED) @Pattern(regexp = "[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?",
          message = "lower-case letters, digits and inner hyphens, up to 64") String name,
      @Valid HostAccess importHost,
      String ocMirror,
      String oc,
      @AbsolutePath String cacheDirectory,
      @AbsolutePath String importWorkspace,
      @AbsolutePath String runsDirectory,
      @AbsolutePath String mediaMount,
      @Valid Registry registry,
      List<@Valid Cluster> clusters,
      ReceiptBySender receiptBySender,
      @Valid OcMirrorFlags flags,
      @Valid OcMirrorEnvironment environment,
      Reach reach,
      Path stationPublicKey) implements Consistent {

    public Enclave {
      clusters = clusters == null ? List.of() : List.copyOf(clusters);
      receiptBySender = receiptBySender == null ? ReceiptBySender.REFUSE : receiptBySender;
      reach = reach == null ? Reach.SSH : reach;
    }

    public boolean byMedia() {
      return reach == Reach.MEDIA;
    }

    @Override
    public void check(Problems problems) {
      if (byMedia()) {
        if (stationPublicKey == null) {
          problems.add("stationPublicKey", "a media enclave needs its receiving station's public key, which signs its"
              + " site reports");
        }
        return;
      }
      if (importHost == null) {
        problems.add("importHost", "say where the enclave's oc-mirror runs");
      }
      for (String[] required : new String[][] {{"ocMirror", ocMirror}, {"cacheDirectory", cacheDirectory},
          {"importWorkspace", importWorkspace}, {"runsDirectory", runsDirectory}, {"mediaMount", mediaMount}}) {
        if (required[1] == null || required[1].isBlank()) {
          problems.add(required[0], REQUIRED);
        }
      }
      if (registry == null) {
        problems.add("registry", "https://HOST[:PORT] of the target registry");
      }
      if (!clusters.isEmpty() && (oc == null || oc.isBlank())) {
        problems.add("oc", "is required to apply cluster resources to the clusters listed");
      }
      Set<String> seen = new HashSet<>();
      clusters.stream().map(Cluster::name).filter(name -> name != null && !seen.add(name)).distinct()
          .forEach(name -> problems.add("clusters", "'" + name + "' is listed more than once"));
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

    /** The enclave's flags; a plain-HTTP registry gets {@code --dest-tls-verify=false} unless they say otherwise. */
    public OcMirrorSettings settings() {
      boolean plainHttp = registry != null && registry.url() != null && registry.url().startsWith("http://");
      OcMirrorFlags defaults = new OcMirrorFlags(null, plainHttp ? Boolean.FALSE : null, null, null, null, null, null, null,
          null, null, null, null, null);
      return new OcMirrorSettings(ocMirror, runsDirectory, (flags == null ? OcMirrorFlags.NONE : flags).orElse(defaults),
          environment);
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
  public record Registry(
      @NotNull(message = "https://HOST[:PORT] of the target registry") @Pattern(regexp = "https?://[A-Za-z0-9.\\[\\]:-]+/?",
          message = "https://HOST[:PORT] of the target registry") String url,
      String namespace, Path caFile, String username, Path passwordFile) {

    public String hostPort() {
      return url.replaceFirst("^https?://", "").replaceFirst("/+$", "");
    }

    public String destination() {
      return "docker://" + hostPort() + (namespace == null || namespace.isBlank() ? "" : "/" + namespace);
    }
  }

  /** @param kubeconfig path of the kubeconfig on the import host */
  public record Cluster(@NotBlank(message = REQUIRED) String name,
      @NotBlank(message = REQUIRED) @AbsolutePath String kubeconfig) {
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

  @Override
  public void check(Problems problems) {
    Set<String> seen = new HashSet<>();
    enclaves.stream().map(Enclave::name).filter(name -> name != null && !seen.add(name)).distinct()
        .forEach(name -> problems.add("enclaves", "'" + name + "' is used twice"));
    if (role == Role.STATION) {
      if (station == null) {
        problems.add("station", "a receiving station needs its enclave, the connected side's public key, its report key"
            + " and a return directory");
      } else if (enclaves.size() != 1 || !enclaves.get(0).name().equals(station.enclave()) || enclaves.get(0).byMedia()) {
        problems.add("enclaves", "a receiving station configures exactly its own enclave '" + station.enclave()
            + "', reached over SSH or locally");
      }
    }
  }

  /**
   * Every problem of the lifecycle configuration, each under its key; empty when the lifecycle can run. A receiving
   * station has no mirror host, media staging or manifest signing of its own: those keys are not asked of it.
   */
  public List<String> problems() {
    try (ValidatorFactory factory = Validation.buildDefaultValidatorFactory()) {
      return factory.getValidator().validate(this).stream()
          .map(violation -> key(violation) + ": " + violation.getMessage())
          .filter(problem -> role != Role.STATION || !problem.startsWith("orchestrator.mirror")
              && !problem.startsWith("orchestrator.media") && !problem.startsWith("orchestrator.signing"))
          .sorted()
          .toList();
    }
  }

  public boolean receivingStation() {
    return role == Role.STATION;
  }

  /** The key as it is written in the configuration, e.g. {@code orchestrator.enclaves[0].cache-directory}. */
  private static String key(ConstraintViolation<?> violation) {
    StringBuilder key = new StringBuilder("orchestrator");
    for (Node node : violation.getPropertyPath()) {
      if (node.isInIterable() && node.getIndex() != null) {
        key.append('[').append(node.getIndex()).append(']');
      }
      if (node.getName() != null && !node.getName().startsWith("<")) {
        key.append('.').append(node.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT));
      }
    }
    return key.toString();
  }

  private static final String REQUIRED = "is required";
}
