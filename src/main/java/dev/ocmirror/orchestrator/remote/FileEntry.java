package dev.ocmirror.orchestrator.remote;

import java.time.Instant;

/** A file or directory as a host sees it. */
public record FileEntry(String path, String name, long size, boolean directory, Instant modified) {
}
