package dev.ocmirror.orchestrator.remote;

/** The SSH server's host key is unknown to the known_hosts file or differs from the one recorded there. */
public class HostKeyRejectedException extends HostException {

  public HostKeyRejectedException(String message) {
    super(message);
  }
}
