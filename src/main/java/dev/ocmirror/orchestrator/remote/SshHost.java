package dev.ocmirror.orchestrator.remote;

import dev.ocmirror.orchestrator.integrity.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.FileMode;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.RemoteResourceInfo;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * A host reached over SSH with sshj: key authentication, host key checked against a known_hosts file (never
 * accepted blindly), keep-alive, one connection re-opened when it drops. Commands run through the remote
 * login shell with every argument quoted; files are handled over SFTP.
 */
public final class SshHost implements Host {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SshHost.class);
  private static final Pattern SHA256_LINE = Pattern.compile("^\\\\?([0-9a-f]{64}) [ *].*");
  private static final Duration HASH_LIMIT = Duration.ofHours(6);

  private final SshTarget target;
  private SSHClient client;

  public SshHost(SshTarget target) {
    this.target = target;
  }

  @Override
  public String name() {
    return target.describe();
  }

  private synchronized SSHClient connected() {
    if (client != null && client.isConnected() && client.isAuthenticated()) {
      return client;
    }
    closeQuietly();
    target.checkFiles();
    DefaultConfig config = new DefaultConfig();
    config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
    SSHClient fresh = new SSHClient(config);
    RefusingKnownHosts knownHosts;
    try {
      knownHosts = new RefusingKnownHosts(target);
    } catch (IOException e) {
      throw new HostException("Cannot read known_hosts " + target.knownHosts() + " for " + name() + ": " + e.getMessage(), e);
    }
    fresh.addHostKeyVerifier(knownHosts);
    fresh.setConnectTimeout((int) target.connectTimeout().toMillis());
    try {
      fresh.connect(target.host(), target.port());
    } catch (TransportException e) {
      closeQuietly(fresh);
      if (knownHosts.refusal != null) {
        throw new HostKeyRejectedException(knownHosts.refusal);
      }
      throw new HostException("Cannot connect to " + name() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      closeQuietly(fresh);
      throw new HostException("Cannot connect to " + name() + ": " + e.getMessage(), e);
    }
    try {
      fresh.getConnection().getKeepAlive().setKeepAliveInterval((int) Math.max(1, target.keepAliveInterval().toSeconds()));
      fresh.authPublickey(target.user(), fresh.loadKeys(target.privateKey().toString()));
    } catch (IOException e) {
      closeQuietly(fresh);
      throw new HostException("SSH login as " + target.user() + " with key " + target.privateKey() + " refused by "
          + name() + ": " + e.getMessage(), e);
    }
    client = fresh;
    return client;
  }

  private static final Duration PID_WAIT = Duration.ofSeconds(10);

  @Override
  public RunningCommand start(Command command, OutputListener listener) {
    long started = System.nanoTime();
    try {
      Session session = connected().startSession();
      Session.Command remote = session.exec(ShellQuoting.commandLine(command));
      RemotePid pid = new RemotePid(listener);
      OutputPump out = new OutputPump("ssh-stdout", remote.getInputStream(), OutputListener.Stream.STDOUT, listener);
      OutputPump err = new OutputPump("ssh-stderr", remote.getErrorStream(), OutputListener.Stream.STDERR, pid);
      return new SshRunningCommand(session, remote, out, err, pid, started);
    } catch (IOException e) {
      throw new HostException("Cannot start '" + command.argv().get(0) + "' on " + name() + ": " + e.getMessage(), e);
    }
  }

  /** Takes the pid line the command line reports first off the stderr stream; passes everything else on. */
  private static final class RemotePid implements OutputListener {
    private final OutputListener listener;
    private final java.util.concurrent.CountDownLatch reported = new java.util.concurrent.CountDownLatch(1);
    private volatile String pid;

    RemotePid(OutputListener listener) {
      this.listener = listener;
    }

    @Override
    public void line(Stream stream, String line) {
      if (pid == null && line.startsWith(ShellQuoting.PID_MARKER)) {
        String value = line.substring(ShellQuoting.PID_MARKER.length()).trim();
        pid = value.matches("[1-9][0-9]{0,9}") ? value : "";
        reported.countDown();
        return;
      }
      listener.line(stream, line);
    }

    /**
     * The pid, waiting for its line when a stop comes right after the start: without it nothing stops the program,
     * since sshd ignores signal requests and closing the channel waits for the program to end.
     */
    String await(Duration limit) {
      try {
        reported.await(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return pid;
    }
  }

  private final class SshRunningCommand implements RunningCommand {
    private final Session session;
    private final Session.Command remote;
    private final OutputPump out;
    private final OutputPump err;
    private final RemotePid pid;
    private final long started;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    SshRunningCommand(Session session, Session.Command remote, OutputPump out, OutputPump err, RemotePid pid, long started) {
      this.session = session;
      this.remote = remote;
      this.out = out;
      this.err = err;
      this.pid = pid;
      this.started = started;
    }

    @Override
    public CommandResult await(Duration limit) {
      CommandResult.Ending ending;
      try {
        remote.join(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (remote.getExitStatus() != null) {
          ending = CommandResult.Ending.EXITED;
        } else if (cancelled.get()) {
          ending = CommandResult.Ending.CANCELLED;
        } else if (remote.isOpen()) {
          stop();
          ending = CommandResult.Ending.TIMED_OUT;
        } else {
          ending = CommandResult.Ending.CONNECTION_LOST;
        }
      } catch (ConnectionException e) {
        ending = cancelled.get() ? CommandResult.Ending.CANCELLED
            : remote.isOpen() ? timedOut() : CommandResult.Ending.CONNECTION_LOST;
      } catch (IOException e) {
        ending = CommandResult.Ending.CONNECTION_LOST;
      }
      out.drain(2000);
      err.drain(2000);
      Integer status = ending == CommandResult.Ending.EXITED ? remote.getExitStatus() : null;
      closeQuietly(session);
      return new CommandResult(status, ending, Duration.ofNanos(System.nanoTime() - started));
    }

    private CommandResult.Ending timedOut() {
      stop();
      return CommandResult.Ending.TIMED_OUT;
    }

    @Override
    public void cancel() {
      if (remote.isOpen()) {
        cancelled.set(true);
        stop();
      }
    }

    private void stop() {
      String target = pid.await(PID_WAIT);
      if (target != null && !target.isEmpty()) {
        try (Session killer = connected().startSession()) {
          killer.exec(ShellQuoting.join(java.util.List.of("kill", "-TERM", target))).join(30, TimeUnit.SECONDS);
        } catch (IOException | HostException unreachable) {
          // The host is gone; so, with it, is the command.
        }
      } else {
        try {
          remote.signal(Signal.TERM);
        } catch (IOException alreadyGone) {
          // Closing the channel below is all that is left to do.
        }
      }
      try {
        remote.close();
      } catch (IOException alreadyGone) {
        // Nothing more to stop.
      }
    }
  }

  @Override
  public List<FileEntry> list(String directory) {
    return sftp("list", directory, sftp -> {
      if (sftp.statExistence(directory) == null) {
        return List.<FileEntry>of();
      }
      List<FileEntry> entries = new ArrayList<>();
      for (RemoteResourceInfo info : sftp.ls(directory)) {
        entries.add(entry(info.getPath(), info.getName(), info.getAttributes()));
      }
      entries.sort(Comparator.comparing(FileEntry::name));
      return entries;
    });
  }

  @Override
  public Optional<FileEntry> stat(String path) {
    return sftp("stat", path, sftp -> {
      FileAttributes attributes = sftp.statExistence(path);
      return attributes == null ? Optional.<FileEntry>empty()
          : Optional.of(entry(path, path.substring(path.lastIndexOf('/') + 1), attributes));
    });
  }

  private static FileEntry entry(String path, String name, FileAttributes attributes) {
    return new FileEntry(path, name, attributes.getSize(), attributes.getType() == FileMode.Type.DIRECTORY,
        Instant.ofEpochSecond(attributes.getMtime()));
  }

  @Override
  public void move(String from, String to) {
    sftp("move " + from + " to", to, sftp -> {
      if (sftp.statExistence(to) != null) {
        throw new HostException("Cannot move " + from + " to " + to + " on " + name() + ": the target exists");
      }
      sftp.rename(from, to);
      return null;
    });
  }

  @Override
  public void createDirectories(String path) {
    sftp("create directory", path, sftp -> {
      sftp.mkdirs(path);
      return null;
    });
  }

  @Override
  public byte[] read(String path, int maxBytes) {
    return sftp("read", path, sftp -> {
      try (RemoteFile file = sftp.open(path, EnumSet.of(OpenMode.READ))) {
        long size = file.length();
        if (size > maxBytes) {
          throw new HostException(path + " on " + name() + " has " + size + " bytes, more than the " + maxBytes + " expected");
        }
        return readFully(file, 0, (int) size);
      }
    });
  }

  @Override
  public byte[] readFrom(String path, long offset, int maxBytes) {
    return sftp("read", path, sftp -> {
      try (RemoteFile file = sftp.open(path, EnumSet.of(OpenMode.READ))) {
        long available = Math.max(0, file.length() - offset);
        return readFully(file, offset, (int) Math.min(maxBytes, available));
      }
    });
  }

  private static byte[] readFully(RemoteFile file, long offset, int length) throws IOException {
    byte[] buffer = new byte[length];
    int done = 0;
    while (done < length) {
      int read = file.read(offset + done, buffer, done, length - done);
      if (read < 0) {
        break;
      }
      done += read;
    }
    return done == length ? buffer : java.util.Arrays.copyOf(buffer, done);
  }

  @Override
  public InputStream open(String path) {
    SFTPClient sftp = null;
    try {
      sftp = connected().newSFTPClient();
      RemoteFile file = sftp.open(path, EnumSet.of(OpenMode.READ));
      SFTPClient owner = sftp;
      // Read ahead keeps several requests in flight: SFTP round trips would otherwise bound the speed.
      return new java.io.FilterInputStream(file.new ReadAheadRemoteFileInputStream(16)) {
        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            closeQuietly(file);
            closeQuietly(owner);
          }
        }
      };
    } catch (IOException e) {
      if (sftp != null) {
        closeQuietly(sftp);
      }
      throw new HostException("Cannot open " + path + " on " + name() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void write(String path, byte[] content) {
    String parent = path.substring(0, Math.max(1, path.lastIndexOf('/')));
    String temporary = parent + "/." + path.substring(path.lastIndexOf('/') + 1) + "." + System.nanoTime() + ".tmp";
    sftp("write", path, sftp -> {
      sftp.mkdirs(parent);
      FileAttributes ownerOnly = new FileAttributes.Builder().withPermissions(0600).build();
      try (RemoteFile file = sftp.open(temporary, EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.TRUNC), ownerOnly)) {
        file.write(0, content, 0, content.length);
      }
      return null;
    });
    // SFTP v3 (OpenSSH) cannot rename over an existing file; mv on the host replaces it atomically.
    CommandResult moved = run(Command.of("mv", "-f", "--", temporary, path), OutputListener.IGNORE, Duration.ofMinutes(1));
    if (!moved.succeeded()) {
      throw new HostException("Cannot write " + path + " on " + name() + ": mv ended " + moved.ending() + " " + moved.exitStatus());
    }
  }

  @Override
  public void delete(String path) {
    sftp("delete", path, sftp -> {
      FileAttributes attributes = sftp.statExistence(path);
      if (attributes == null) {
        return null;
      }
      if (attributes.getType() == FileMode.Type.DIRECTORY) {
        sftp.rmdir(path);
      } else {
        sftp.rm(path);
      }
      return null;
    });
  }

  /**
   * Hashes on the host, so that no archive crosses the network again: with OpenSSL, which uses the processor's SHA
   * instructions (about five times {@code sha256sum} on this kind of hardware), else with {@code sha256sum}. OpenSSL
   * that is missing, too old for these options, or answers in a way not understood is given up for this host once
   * {@code sha256sum} has done the work instead.
   */
  @Override
  public String sha256(String path) {
    // Neither program then reads the path as an option, and OpenSSL 1.0 knows no "--".
    String file = path.startsWith("/") ? path : "./" + path;
    if (!hashWithoutOpenSsl) {
      HashRun openssl = hash(Command.of("openssl", "dgst", "-sha256", "-r", file));
      Optional<String> digest = openssl.digest();
      if (digest.isPresent()) {
        return digest.get();
      }
      if (openssl.result().ending() != CommandResult.Ending.EXITED) {
        // A lost connection or a time limit says nothing about OpenSSL there: a fault, retried as such.
        throw new HostException("Cannot hash " + path + " on " + name() + ": " + openssl.result().ending());
      }
    }
    HashRun sha256sum = hash(Command.of("sha256sum", file));
    String digest = sha256sum.digest().orElseThrow(() -> new HostException("Cannot hash " + path + " on " + name() + ": "
        + sha256sum.result().ending() + " " + sha256sum.result().exitStatus() + " " + sha256sum.errors().trim()
        + (sha256sum.output().isBlank() ? "" : "; it printed: " + abbreviate(sha256sum.output().strip()))));
    if (!hashWithoutOpenSsl) {
      LOG.info("Hashing on {} with sha256sum: openssl is missing there or did not answer as expected", name());
      hashWithoutOpenSsl = true;
    }
    return digest;
  }

  private volatile boolean hashWithoutOpenSsl;

  private record HashRun(CommandResult result, String output, String errors) {

    /**
     * The digest from the last line that names one: a login shell may print before it, and both programs put a
     * backslash before the digest of a file whose name they had to escape.
     */
    Optional<String> digest() {
      if (!result.succeeded()) {
        return Optional.empty();
      }
      List<String> lines = output.lines().toList();
      for (int i = lines.size() - 1; i >= 0; i--) {
        var matcher = SHA256_LINE.matcher(lines.get(i));
        if (matcher.matches()) {
          return Optional.of(matcher.group(1));
        }
      }
      return Optional.empty();
    }
  }

  private static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  private HashRun hash(Command command) {
    StringBuilder output = new StringBuilder();
    StringBuilder errors = new StringBuilder();
    CommandResult result = run(command, (stream, line) -> {
      (stream == OutputListener.Stream.STDOUT ? output : errors).append(line).append('\n');
    }, HASH_LIMIT);
    return new HashRun(result, output.toString(), errors.toString());
  }

  @Override
  public synchronized void close() {
    closeQuietly();
  }

  private synchronized void closeQuietly() {
    if (client != null) {
      closeQuietly(client);
      client = null;
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // Closing a broken connection may fail again; there is nothing left to release.
    }
  }

  @FunctionalInterface
  private interface SftpAction<T> {
    T apply(SFTPClient sftp) throws IOException;
  }

  private <T> T sftp(String action, String path, SftpAction<T> work) {
    try (SFTPClient sftp = connected().newSFTPClient()) {
      return work.apply(sftp);
    } catch (IOException e) {
      throw new HostException("Cannot " + action + " " + path + " on " + name() + ": " + e.getMessage(), e);
    }
  }

  /** Refuses unknown and changed host keys, keeping the reason so the caller gets a clear message. */
  private static final class RefusingKnownHosts extends OpenSSHKnownHosts {
    private final SshTarget target;
    private volatile String refusal;

    RefusingKnownHosts(SshTarget target) throws IOException {
      super(target.knownHosts().toFile());
      this.target = target;
    }

    @Override
    protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
      refusal = "Host key of " + target.describe() + " (" + key.getAlgorithm() + " " + fingerprint(key)
          + ") is not in " + target.knownHosts() + "; connection refused. Check the fingerprint out of band, then add "
          + "the key to that file (ssh-keyscan -p " + target.port() + " " + target.host() + ").";
      return false;
    }

    @Override
    protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
      refusal = "HOST KEY CHANGED for " + target.describe() + ": it now presents " + key.getAlgorithm() + " "
          + fingerprint(key) + ", which differs from the key recorded in " + target.knownHosts()
          + "; connection refused. This may be an attack; replace the entry only after checking with the host's owner.";
      return false;
    }
  }

  static String fingerprint(PublicKey key) {
    byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(Sha256.newDigest().digest(blob));
  }

}
