package dev.ocmirror.orchestrator.simulator;

import dev.ocmirror.orchestrator.integrity.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Image layers as the real tools expect them: a tar archive, gzip-compressed, as the media type
 * {@code application/vnd.oci.image.layer.v1.tar+gzip} says. Anything else is re-encoded by oc-mirror and comes out
 * with other digests (contract section 9). Built deterministically: the same files give the same digest.
 */
public final class Layers {

  public static final String MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

  private Layers() {
  }

  /** A gzip-compressed tar of these files (path to content), in the given order, owned by root, mode 0644. */
  public static byte[] tarGz(Map<String, byte[]> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes); TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
        entry.setSize(file.getValue().length);
        entry.setMode(0100644);
        entry.setModTime(0);
        tar.putArchiveEntry(entry);
        tar.write(file.getValue());
        tar.closeArchiveEntry();
      }
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The digest of the uncompressed tar: the image config's {@code rootfs.diff_ids} entry for this layer. */
  public static String diffId(byte[] layer) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(layer))) {
      return "sha256:" + Sha256.hex(in.readAllBytes());
    } catch (IOException e) {
      throw new IllegalArgumentException("Not a gzip-compressed layer: " + e.getMessage(), e);
    }
  }

  /** The regular files of a layer, path to content. */
  public static Map<String, byte[]> files(byte[] layer) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(layer)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.isFile()) {
          String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
          files.put(name.startsWith("/") ? name.substring(1) : name, tar.readAllBytes());
        }
      }
    }
    return files;
  }
}
