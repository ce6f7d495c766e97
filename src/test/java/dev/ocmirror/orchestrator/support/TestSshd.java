package dev.ocmirror.orchestrator.support;

import dev.ocmirror.orchestrator.remote.SshTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real OpenSSH server on 127.0.0.1 and a free high port, with its own host key and one authorized client
 * key, for tests of everything the service does over SSH. It runs as the current user.
 */
public final class TestSshd implements AutoCloseable {

  private static final Path SSHD = Path.of("/usr/sbin/sshd");

  private final Path dir;
  private final int port;
  private final Path clientKey;
  private final Path knownHosts;
  private Process process;

  private TestSshd(Path dir) throws IOException, InterruptedException {
    this.dir = dir;
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    this.port = freePort();
    keygen(dir.resolve("host_ed25519"));
    this.clientKey = dir.resolve("client_ed25519");
    keygen(clientKey);
    Files.copy(dir.resolve("client_ed25519.pub"), dir.resolve("authorized_keys"));
    Files.setPosixFilePermissions(dir.resolve("authorized_keys"), PosixFilePermissions.fromString("rw-------"));
    this.knownHosts = dir.resolve("known_hosts");
    writeKnownHosts(dir.resolve("host_ed25519.pub"));
    Files.writeString(dir.resolve("sshd_config"), String.join("\n",
        "Port " + port,
        "ListenAddress 127.0.0.1",
        "HostKey " + dir.resolve("host_ed25519"),
        "PidFile " + dir.resolve("sshd.pid"),
        "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PubkeyAuthentication yes",
        "PermitRootLogin prohibit-password",
        "UsePAM no",
        "StrictModes no",
        "Subsystem sftp internal-sftp",
        "LogLevel ERROR", ""));
    Files.createDirectories(Path.of("/run/sshd"));
  }

  /** Starts a server in {@code dir}; skipped locally when OpenSSH's server is not installed, a failure in CI. */
  public static TestSshd start(Path dir) {
    if (!Files.isExecutable(SSHD)) {
      String message = "OpenSSH server not installed (" + SSHD + "); apt-get install openssh-server";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(message);
      }
      Assumptions.abort(message);
    }
    try {
      TestSshd sshd = new TestSshd(dir);
      sshd.startServer();
      return sshd;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public SshTarget target() {
    return new SshTarget("127.0.0.1", port, System.getProperty("user.name"), clientKey, knownHosts);
  }

  public SshTarget targetWithKnownHosts(Path otherKnownHosts) {
    return new SshTarget("127.0.0.1", port, System.getProperty("user.name"), clientKey, otherKnownHosts);
  }

  public Path directory() {
    return dir;
  }

  /** The service's configuration of a host reached through this server, under a prefix such as orchestrator.mirror.host. */
  public java.util.Map<String, String> hostProperties(String prefix) {
    SshTarget target = target();
    return java.util.Map.of(prefix + ".host", target.host(), prefix + ".port", Integer.toString(port),
        prefix + ".user", target.user(), prefix + ".private-key", target.privateKey().toString(),
        prefix + ".known-hosts", target.knownHosts().toString());
  }

  /** Stops real parts a test started, whichever of them started: the temporary directory goes with the machine. */
  public static void closeAll(AutoCloseable... parts) {
    for (AutoCloseable part : parts) {
      try {
        if (part != null) {
          part.close();
        }
      } catch (Exception ignored) {
        // Best effort, so that one part failing to stop does not keep the others running.
      }
    }
  }

  public int port() {
    return port;
  }

  /** A known_hosts line for this server's port with the given public key file's key. */
  public String knownHostsLine(Path publicKey) throws IOException {
    String[] parts = Files.readString(publicKey).trim().split("\\s+");
    return "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1] + "\n";
  }

  public Path newKeyPair(String name) throws IOException, InterruptedException {
    Path key = dir.resolve(name);
    keygen(key);
    return Path.of(key + ".pub");
  }

  /** Kills the server and every session it holds: what a dropped network connection looks like to a client. */
  public void kill() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      // Sessions rename themselves ("sshd: user@notty"): found as the server's children, not by its command line.
      new ProcessBuilder("pkill", "-KILL", "-P", Long.toString(process.pid())).start().waitFor();
    }
    new ProcessBuilder("pkill", "-KILL", "-f", "sshd.*" + dir.resolve("sshd_config")).start().waitFor();
    if (process != null) {
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  public void restart() throws IOException, InterruptedException {
    kill();
    startServer();
  }

  private void startServer() throws IOException, InterruptedException {
    process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
    for (int attempt = 0; attempt < 100; attempt++) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new IllegalStateException("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
        }
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("sshd did not listen on port " + port);
  }

  private void writeKnownHosts(Path publicKey) throws IOException {
    Files.writeString(knownHosts, knownHostsLine(publicKey));
  }

  private static void keygen(Path key) throws IOException, InterruptedException {
    Process keygen = new ProcessBuilder(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()))
        .redirectErrorStream(true).start();
    if (keygen.waitFor() != 0) {
      throw new IllegalStateException("ssh-keygen failed: " + new String(keygen.getInputStream().readAllBytes()));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    try {
      kill();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
