package dev.ocmirror.orchestrator.transfer;

/** The media has less free space than the transfer needs; raised before anything is copied. */
public class MediaSpaceException extends RuntimeException {

  public MediaSpaceException(String message) {
    super(message);
  }
}
