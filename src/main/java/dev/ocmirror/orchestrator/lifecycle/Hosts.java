package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.remote.Host;
import dev.ocmirror.orchestrator.remote.LocalHost;
import dev.ocmirror.orchestrator.remote.SshHost;

/** Opens the host a piece of configuration names; the caller closes it. */
public final class Hosts {

  private Hosts() {
  }

  public static Host open(LifecycleProperties.HostAccess access) {
    if (access.local()) {
      return new LocalHost();
    }
    access.sshTarget().checkFiles();
    return new SshHost(access.sshTarget());
  }
}
