package dev.ocmirror.orchestrator.ocmirror;

import dev.ocmirror.orchestrator.remote.RunStatus;

/** What an operator sees of a running mirror: images done of total, the state, and the last lines of its log. */
public record OcMirrorProgress(RunStatus status, Integer imagesTotal, int imagesDone, String logTail) {
}
