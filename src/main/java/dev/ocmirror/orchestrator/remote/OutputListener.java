package dev.ocmirror.orchestrator.remote;

/** Receives a command's output line by line as it is produced, from the thread that reads that stream. */
@FunctionalInterface
public interface OutputListener {

  enum Stream { STDOUT, STDERR }

  void line(Stream stream, String line);

  OutputListener IGNORE = (stream, line) -> { };
}
