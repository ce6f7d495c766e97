package dev.ocmirror.orchestrator.ocmirror;

import dev.ocmirror.orchestrator.remote.RunStatus;

/**
 * What an operator sees of a running mirror: images done (copied or failed) of total, how many failed so far, the
 * image it reported last, the state, and the last lines of its log.
 */
public record OcMirrorProgress(RunStatus status, Integer imagesTotal, int imagesDone, int imageErrors, String currentImage,
    String logTail) {

  /** One line, e.g. {@code RUNNING: 12 of 40 images, 1 failed, last quay.io/demo/app:v1}. */
  public String summary() {
    return status.state() + ": " + imagesDone + " of " + (imagesTotal == null ? "?" : imagesTotal) + " images"
        + (imageErrors > 0 ? ", " + imageErrors + " failed" : "") + (currentImage == null ? "" : ", last " + currentImage);
  }
}
