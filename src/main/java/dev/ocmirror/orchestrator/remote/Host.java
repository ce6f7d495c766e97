package dev.ocmirror.orchestrator.remote;

import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A machine the service works on: the one it runs on, or one reached over SSH. Paths are the host's own,
 * absolute, POSIX.
 */
public interface Host extends AutoCloseable {

  /** A short name for messages and logs, e.g. {@code local} or {@code ssh://mirror@host:22}. */
  String name();

  RunningCommand start(Command command, OutputListener listener);

  default CommandResult run(Command command, OutputListener listener, Duration limit) {
    return start(command, listener).await(limit);
  }

  /** Runs a command that must succeed; when it does not, the exception says how it ended and what it printed. */
  default void runToSuccess(Command command, String what, Duration limit) {
    StringBuilder output = new StringBuilder();
    CommandResult result = run(command, (stream, line) -> output.append(line).append('\n'), limit);
    if (!result.succeeded()) {
      throw new HostException(what + " failed on " + name() + " (" + result.ending() + " " + result.exitStatus() + "): "
          + output.toString().strip());
    }
  }

  /** Entries directly inside a directory, sorted by name; an empty list when it does not exist. */
  List<FileEntry> list(String directory);

  Optional<FileEntry> stat(String path);

  /** Renames within one file system; the target must not exist. */
  void move(String from, String to);

  void createDirectories(String path);

  /** Reads a whole file that must not exceed {@code maxBytes}; refuses larger ones instead of truncating. */
  byte[] read(String path, int maxBytes);

  /** Reads up to {@code maxBytes} starting at {@code offset}; fewer (or none) at the end of the file. */
  byte[] readFrom(String path, long offset, int maxBytes);

  /** Streams a file of any size; the caller closes the stream. */
  InputStream open(String path);

  /**
   * Streams a file as a channel; the caller closes it. Local files give a file channel that reads straight into
   * the caller's buffer, which keeps hashing at the speed of the CPU's SHA instructions.
   */
  default ReadableByteChannel openChannel(String path) {
    return Channels.newChannel(open(path));
  }

  /** Writes a file atomically (temporary file, then rename) with owner-only permissions. */
  void write(String path, byte[] content);

  /** Deletes a file or an empty directory; nothing happens when it does not exist. */
  void delete(String path);

  /** Hex SHA-256 of a file's content, computed on the host itself. */
  String sha256(String path);

  @Override
  void close();
}
