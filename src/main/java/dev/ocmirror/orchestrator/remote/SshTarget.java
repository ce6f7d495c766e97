package dev.ocmirror.orchestrator.remote;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and as whom to connect. Authentication is by private key only; the server's host key must be in
 * {@code knownHosts} (OpenSSH format, {@code [host]:port} entries for ports other than 22).
 */
public record SshTarget(String host, int port, String user, Path privateKey, Path knownHosts,
    Duration connectTimeout, Duration keepAliveInterval) {

  public SshTarget {
    require(host != null && !host.isBlank(), "an SSH target needs a host");
    require(port > 0 && port < 65536, "SSH port " + port + " is not a port number");
    require(user != null && !user.isBlank(), "an SSH target needs a user");
    require(privateKey != null, "an SSH target needs a private key file");
    require(knownHosts != null, "an SSH target needs a known_hosts file: host keys are always checked");
    connectTimeout = connectTimeout == null ? Duration.ofSeconds(20) : connectTimeout;
    keepAliveInterval = keepAliveInterval == null ? Duration.ofSeconds(15) : keepAliveInterval;
  }

  public SshTarget(String host, int port, String user, Path privateKey, Path knownHosts) {
    this(host, port, user, privateKey, knownHosts, null, null);
  }

  /** Checks that the key files exist and are readable, so a typo surfaces before the first connection. */
  public void checkFiles() {
    for (Path file : new Path[] {privateKey, knownHosts}) {
      if (!Files.isReadable(file)) {
        throw new HostException("SSH target " + this.describe() + ": cannot read " + file);
      }
    }
  }

  public String describe() {
    return "ssh://" + user + "@" + host + ":" + port;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
