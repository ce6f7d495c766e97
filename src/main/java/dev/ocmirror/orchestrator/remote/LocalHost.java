package dev.ocmirror.orchestrator.remote;

import dev.ocmirror.orchestrator.integrity.Sha256;
import java.io.IOException;
import java.nio.file.StandardOpenOption;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.FileChannel;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/** The machine the service runs on. */
public final class LocalHost implements Host {

  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  @Override
  public String name() {
    return "local";
  }

  @Override
  public RunningCommand start(Command command, OutputListener listener) {
    ProcessBuilder builder = new ProcessBuilder(command.argv());
    builder.environment().putAll(command.environment());
    if (command.workingDirectory() != null) {
      builder.directory(Path.of(command.workingDirectory()).toFile());
    }
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    long started = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new HostException("Cannot start '" + command.argv().get(0) + "' on " + name() + ": " + e.getMessage(), e);
    }
    OutputPump out = new OutputPump("stdout-" + process.pid(), process.getInputStream(), OutputListener.Stream.STDOUT, listener);
    OutputPump err = new OutputPump("stderr-" + process.pid(), process.getErrorStream(), OutputListener.Stream.STDERR, listener);
    return new LocalRunningCommand(process, out, err, started);
  }

  private static final class LocalRunningCommand implements RunningCommand {
    private final Process process;
    private final OutputPump out;
    private final OutputPump err;
    private final long started;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    LocalRunningCommand(Process process, OutputPump out, OutputPump err, long started) {
      this.process = process;
      this.out = out;
      this.err = err;
      this.started = started;
    }

    @Override
    public CommandResult await(Duration limit) {
      CommandResult.Ending ending;
      try {
        if (process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
          ending = cancelled.get() ? CommandResult.Ending.CANCELLED : CommandResult.Ending.EXITED;
        } else {
          stop();
          ending = CommandResult.Ending.TIMED_OUT;
        }
      } catch (InterruptedException e) {
        stop();
        Thread.currentThread().interrupt();
        ending = CommandResult.Ending.CANCELLED;
      }
      out.drain(2000);
      err.drain(2000);
      Integer status = ending == CommandResult.Ending.EXITED ? process.exitValue() : null;
      return new CommandResult(status, ending, Duration.ofNanos(System.nanoTime() - started));
    }

    @Override
    public void cancel() {
      if (process.isAlive()) {
        cancelled.set(true);
        stop();
      }
    }

    private void stop() {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      try {
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public List<FileEntry> list(String directory) {
    Path dir = Path.of(directory);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(dir)) {
      List<FileEntry> entries = new ArrayList<>();
      for (Path child : children.toList()) {
        stat(child.toString()).ifPresent(entries::add);
      }
      entries.sort(Comparator.comparing(FileEntry::name));
      return entries;
    } catch (IOException e) {
      throw failure("list", directory, e);
    }
  }

  @Override
  public Optional<FileEntry> stat(String path) {
    Path file = Path.of(path);
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return Optional.of(new FileEntry(file.toString(), String.valueOf(file.getFileName()), attributes.size(),
          attributes.isDirectory(), attributes.lastModifiedTime().toInstant()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure("stat", path, e);
    }
  }

  @Override
  public void move(String from, String to) {
    try {
      if (Files.exists(Path.of(to), LinkOption.NOFOLLOW_LINKS)) {
        throw new FileAlreadyExistsException(to);
      }
      Files.move(Path.of(from), Path.of(to), StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new HostException("Cannot move " + from + " to " + to + " on " + name()
          + ": they are on different file systems; a move must be a rename so that no half-copied file is seen", e);
    } catch (IOException e) {
      throw failure("move " + from + " to", to, e);
    }
  }

  @Override
  public void createDirectories(String path) {
    try {
      Files.createDirectories(Path.of(path));
    } catch (IOException e) {
      throw failure("create directory", path, e);
    }
  }

  @Override
  public byte[] read(String path, int maxBytes) {
    try {
      long size = Files.size(Path.of(path));
      if (size > maxBytes) {
        throw new HostException(path + " on " + name() + " has " + size + " bytes, more than the " + maxBytes + " expected");
      }
      return Files.readAllBytes(Path.of(path));
    } catch (IOException e) {
      throw failure("read", path, e);
    }
  }

  @Override
  public byte[] readFrom(String path, long offset, int maxBytes) {
    try (RandomAccessFile file = new RandomAccessFile(path, "r")) {
      long available = Math.max(0, file.length() - offset);
      byte[] buffer = new byte[(int) Math.min(maxBytes, available)];
      file.seek(offset);
      file.readFully(buffer);
      return buffer;
    } catch (IOException e) {
      throw failure("read", path, e);
    }
  }

  @Override
  public InputStream open(String path) {
    try {
      return Files.newInputStream(Path.of(path));
    } catch (IOException e) {
      throw failure("open", path, e);
    }
  }

  @Override
  public ReadableByteChannel openChannel(String path) {
    try {
      return FileChannel.open(Path.of(path), StandardOpenOption.READ);
    } catch (IOException e) {
      throw new HostException("Cannot open " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void write(String path, byte[] content) {
    Path target = Path.of(path);
    try {
      Path parent = target.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temporary = Files.createTempFile(parent, "." + target.getFileName(), ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(temporary, content);
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw failure("write", path, e);
    }
  }

  @Override
  public void delete(String path) {
    try {
      Files.deleteIfExists(Path.of(path));
    } catch (IOException e) {
      throw failure("delete", path, e);
    }
  }

  @Override
  public String sha256(String path) {
    try {
      return Sha256.hex(Path.of(path));
    } catch (IOException e) {
      throw failure("hash", path, e);
    }
  }

  @Override
  public void close() {
    // Nothing to release.
  }

  private HostException failure(String action, String path, IOException e) {
    return new HostException("Cannot " + action + " " + path + " on " + name() + ": " + e, e);
  }

}
