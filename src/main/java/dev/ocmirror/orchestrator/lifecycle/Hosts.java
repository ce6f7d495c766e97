package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.remote.Host;
import dev.ocmirror.orchestrator.remote.LocalHost;
import dev.ocmirror.orchestrator.remote.SshHost;

/**
 * Opens the host a piece of configuration names; the caller closes it. The steps get their hands on machines
 * only through this, so that a test can give them a host of its own.
 */
@FunctionalInterface
public interface Hosts {

  Host open(LifecycleProperties.HostAccess access);

  /** The service's own machine for {@code local: true}, otherwise SSH with the host key checked. */
  static Hosts asConfigured() {
    return access -> {
      if (access.local()) {
        return new LocalHost();
      }
      access.sshTarget().checkFiles();
      return new SshHost(access.sshTarget());
    };
  }
}
