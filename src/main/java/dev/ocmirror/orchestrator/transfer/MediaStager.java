package dev.ocmirror.orchestrator.transfer;

import dev.ocmirror.orchestrator.integrity.Sha256;
import dev.ocmirror.orchestrator.remote.Host;
import dev.ocmirror.orchestrator.remote.LocalHost;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.lang3.exception.ExceptionUtils;

/**
 * Puts a transfer onto the media directory: checks the free space first, copies and hashes each file at once
 * (a local one copied by the kernel while it is hashed beside the copy), and on a second attempt skips files
 * already on the media with the expected size and hash, so an interrupted staging resumes instead of starting over.
 */
public final class MediaStager {

  private static final int BUFFER = 1 << 20;

  /** A file to carry, where to put it on the media, and the SHA-256 the ledger recorded for it. */
  public record Source(Host host, String path, String mediaPath, String expectedSha256) {

    public Source(Path file, String mediaPath, String expectedSha256) {
      this(new LocalHost(), file.toString(), mediaPath, expectedSha256);
    }

    long size() {
      return host.stat(path).orElseThrow(() -> new IllegalStateException(path + " is missing on " + host.name())).size();
    }
  }

  public List<TransferManifest.ManifestFile> stage(List<Source> sources, Path mediaDirectory) {
    try {
      Files.createDirectories(mediaDirectory);
      // An earlier staging's manifest must not sign what this one changes: the media are unsigned until it ends.
      Files.deleteIfExists(mediaDirectory.resolve(TransferManifest.SIGNATURE_FILE_NAME));
      Files.deleteIfExists(mediaDirectory.resolve(TransferManifest.FILE_NAME));
      List<Source> toCopy = new ArrayList<>();
      List<TransferManifest.ManifestFile> staged = new ArrayList<>();
      long needed = 0;
      for (Source source : sources) {
        // An attempt killed half-way left its unfinished copy; its space counts as free again.
        Path target = mediaDirectory.resolve(source.mediaPath());
        Files.deleteIfExists(target.resolveSibling(target.getFileName() + ".partial"));
        if (alreadyStaged(source, mediaDirectory)) {
          continue;
        }
        toCopy.add(source);
        needed += source.size();
      }
      long usable = Files.getFileStore(mediaDirectory).getUsableSpace();
      if (needed > usable) {
        throw new MediaSpaceException("The media at " + mediaDirectory + " has " + usable + " bytes free; this transfer needs "
            + needed + " more. Nothing was copied.");
      }
      long stillToCopy = needed;
      for (Source source : sources) {
        Path target = mediaDirectory.resolve(source.mediaPath());
        String sha256 = source.expectedSha256();
        if (toCopy.contains(source)) {
          try {
            sha256 = copy(source, target);
          } catch (IOException failed) {
            long free = Files.getFileStore(mediaDirectory).getUsableSpace();
            // The free space is measured after the unfinished copy was deleted: a device that said "no space" counts too.
            if (stillToCopy > free || noSpaceLeft(failed)) {
              // Free space counted in bytes, used in blocks, or taken by another writer: the device filled up.
              throw new MediaSpaceException("The media at " + mediaDirectory + " filled up while " + source.mediaPath()
                  + " was copied: " + free + " bytes free, " + stillToCopy + " still to copy. Nothing of " + source.mediaPath()
                  + " was left and nothing is signed; the " + staged.size() + " file(s) staged before it stay and are kept"
                  + " when staging resumes. Make space on the media (or use larger media) and stage again.", failed);
            }
            throw failed;
          }
          stillToCopy -= source.size();
        }
        staged.add(new TransferManifest.ManifestFile(source.mediaPath(), Files.size(target), sha256));
      }
      return staged;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot stage onto " + mediaDirectory + ": " + e.getMessage(), e);
    }
  }

  /** ENOSPC as Java reports it on Linux and the BSDs ("No space left on device"), anywhere in the causes. */
  private static boolean noSpaceLeft(Throwable failure) {
    return ExceptionUtils.getThrowableList(failure).stream()
        .anyMatch(cause -> cause.getMessage() != null && cause.getMessage().contains("No space left on device"));
  }

  /**
   * Writes the manifest and its detached signature beside the staged files, each whole or not at all, the signature
   * last: media are never half-signed.
   */
  public static void writeSigned(TransferManifest manifest, Path mediaDirectory, PrivateKey key) {
    byte[] json = manifest.toJson();
    Path signature = mediaDirectory.resolve(TransferManifest.SIGNATURE_FILE_NAME);
    try {
      Files.deleteIfExists(signature);
      writeWhole(mediaDirectory.resolve(TransferManifest.FILE_NAME), json);
      writeWhole(signature, ManifestSignature.sign(json, key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      long free = mediaDirectory.toFile().getUsableSpace();
      if (noSpaceLeft(e) || free < json.length + 4096L) {
        throw new MediaSpaceException("The media at " + mediaDirectory + " filled up while the manifest was written: " + free
            + " bytes free. The media are not signed; every staged file stays. Make space on the media and stage again.", e);
      }
      throw new UncheckedIOException("Cannot write the transfer manifest to " + mediaDirectory + ": " + e.getMessage(), e);
    }
  }

  private static void writeWhole(Path file, byte[] content) throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException failed) {
      Files.deleteIfExists(partial);
      throw failed;
    }
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * A local file is copied by the kernel ({@code FileChannel.transferTo}: no copy through the JVM, as {@code cp}
   * copies) while another thread reads it beside the copy, from the page cache, and hashes it; the two overlap, so
   * staging takes about as long as hashing alone. Copy and hash read the same bytes only if the file stays as it
   * was: a source whose size, modification time or identity changes while it is staged is refused (archives in the
   * store never change once recorded), and the hash is held to the ledger's.
   */
  private static void copyAndHash(Path source, FileChannel out, MessageDigest digest) throws IOException {
    java.util.concurrent.ExecutorService hasher = java.util.concurrent.Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "media-stager-hash");
      thread.setDaemon(true);
      return thread;
    });
    BasicFileAttributes before = Files.readAttributes(source, BasicFileAttributes.class);
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
      long size = in.size();
      java.util.concurrent.Future<Long> hashed = hasher.submit(() -> {
        long total = 0;
        try (FileChannel again = FileChannel.open(source, StandardOpenOption.READ)) {
          ByteBuffer chunk = ByteBuffer.allocate(BUFFER);
          int read;
          while ((read = again.read(chunk.clear())) > 0) {
            digest.update(chunk.array(), 0, read);
            total += read;
          }
        }
        return total;
      });
      long copied = 0;
      while (copied < size) {
        long moved = in.transferTo(copied, size - copied, out);
        if (moved <= 0) {
          break;
        }
        copied += moved;
      }
      long hashedBytes = hashed.get();
      BasicFileAttributes after = Files.readAttributes(source, BasicFileAttributes.class);
      if (copied != size || hashedBytes != size || after.size() != before.size()
          || !after.lastModifiedTime().equals(before.lastModifiedTime())
          || !java.util.Objects.equals(after.fileKey(), before.fileKey())) {
        throw new IOException(source + " changed while it was staged (" + size + " bytes at the start, " + copied
            + " copied, " + hashedBytes + " hashed, modified " + before.lastModifiedTime() + " then "
            + after.lastModifiedTime() + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while staging " + source, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("Cannot read " + source + " to hash it: " + e.getCause(), e.getCause());
    } finally {
      hasher.shutdownNow();
    }
  }

  private static boolean alreadyStaged(Source source, Path mediaDirectory) throws IOException {
    Path target = mediaDirectory.resolve(source.mediaPath());
    return source.expectedSha256() != null && Files.isRegularFile(target)
        && Files.size(target) == source.size()
        && Sha256.hex(target).equals(source.expectedSha256());
  }

  private static String copy(Source source, Path target) throws IOException {
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    MessageDigest digest = Sha256.newDigest();
    try {
      try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        if (source.host() instanceof LocalHost) {
          copyAndHash(Path.of(source.path()), channel, digest);
        } else {
          // Not closed here: closing the stream would close the channel before it is forced to the device.
          OutputStream out = java.nio.channels.Channels.newOutputStream(channel);
          try (InputStream in = source.host().open(source.path())) {
            byte[] buffer = new byte[BUFFER];
            int read;
            while ((read = in.read(buffer)) > 0) {
              digest.update(buffer, 0, read);
              out.write(buffer, 0, read);
            }
            out.flush();
          }
        }
        // Removable media are pulled out soon after; what is on them must be on the device, not in a cache.
        channel.force(true);
      }
    } catch (IOException | RuntimeException failed) {
      // Nothing half-copied stays on the media to take space or be mistaken for a file.
      Files.deleteIfExists(partial);
      throw new IOException("Cannot copy " + source.path() + " on " + source.host().name() + " to " + target + ": "
          + failed.getMessage() + ". Nothing of it was left on the media.", failed);
    }
    String actual = Sha256.hex(digest);
    if (source.expectedSha256() != null && !actual.equals(source.expectedSha256())) {
      Files.deleteIfExists(partial);
      throw new IllegalStateException(source.path() + " on " + source.host().name() + " changed since it was recorded: sha256 " + actual + ", ledger says "
          + source.expectedSha256() + ". Nothing of it was left on the media.");
    }
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return actual;
  }
}
