package dev.ocmirror.orchestrator.transfer;

/**
 * The media have less free space than the transfer needs: found before anything is copied, or when the device filled
 * up while staging. Either way nothing is half-copied or signed, and staging resumes once there is space.
 */
public class MediaSpaceException extends RuntimeException {

  public MediaSpaceException(String message) {
    super(message);
  }

  public MediaSpaceException(String message, Throwable cause) {
    super(message, cause);
  }
}
