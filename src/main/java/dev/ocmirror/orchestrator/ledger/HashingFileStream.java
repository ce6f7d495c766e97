package dev.ocmirror.orchestrator.ledger;

import dev.ocmirror.orchestrator.integrity.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a file (local, or streamed from another host) on its own thread, hashing it as it goes, and hands the bytes to whoever reads this stream.
 * Deep verification hashes every byte twice (the whole file, then each blob); doing the first on another core
 * keeps one archive's verification near the speed of a single SHA-256 pass. Memory: a fixed pool of buffers.
 */
final class HashingFileStream extends InputStream {

  private static final int CHUNK = 256 << 10;
  private static final int CHUNKS = 16;
  private static final ByteBuffer END = ByteBuffer.allocate(0);

  private final BlockingQueue<ByteBuffer> filled = new ArrayBlockingQueue<>(CHUNKS + 1);
  private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(CHUNKS);
  private final MessageDigest digest;
  private final Thread reader;
  private volatile IOException failure;
  private volatile boolean closed;
  private ByteBuffer current;
  private boolean ended;
  private long delivered;

  HashingFileStream(ReadableByteChannel channel, String name) {
    digest = Sha256.newDigest();
    for (int i = 0; i < CHUNKS; i++) {
      free.add(ByteBuffer.allocate(CHUNK));
    }
    reader = new Thread(() -> readAndHash(channel), "hash-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  private void readAndHash(ReadableByteChannel channel) {
    try (channel) {
      while (!closed) {
        ByteBuffer buffer = free.take();
        buffer.clear();
        int read = 0;
        // A stream over SFTP may return short reads; fill the chunk so the hand-off stays cheap.
        while (buffer.hasRemaining() && (read = channel.read(buffer)) >= 0) {
          // keep reading
        }
        if (buffer.position() == 0 && read < 0) {
          break;
        }
        buffer.flip();
        digest.update(buffer.array(), 0, buffer.limit());
        filled.put(buffer);
        if (read < 0) {
          break;
        }
      }
    } catch (IOException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      filled.offer(END);
    }
  }

  private boolean next() throws IOException {
    if (ended) {
      return false;
    }
    if (current != null && current.hasRemaining()) {
      return true;
    }
    if (current != null) {
      free.offer(current);
      current = null;
    }
    try {
      ByteBuffer buffer = filled.take();
      if (buffer == END) {
        ended = true;
        if (failure != null) {
          throw failure;
        }
        return false;
      }
      current = buffer;
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading", e);
    }
  }

  @Override
  public int read() throws IOException {
    if (!next()) {
      return -1;
    }
    delivered++;
    return current.get() & 0xff;
  }

  @Override
  public int read(byte[] target, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (!next()) {
      return -1;
    }
    int count = Math.min(length, current.remaining());
    current.get(target, offset, count);
    delivered += count;
    return count;
  }

  /** Hex SHA-256 of the whole file; only once every byte has been read through this stream. */
  String sha256() throws IOException {
    if (!ended) {
      throw new IllegalStateException("the file has not been read to its end");
    }
    try {
      reader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return Sha256.hex(digest);
  }

  long delivered() {
    return delivered;
  }

  @Override
  public void close() {
    closed = true;
    reader.interrupt();
  }
}
