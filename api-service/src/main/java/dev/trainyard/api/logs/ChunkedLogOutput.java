package dev.trainyard.api.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.glassfish.jersey.server.ChunkedOutput;

/**
 * Lets the log streamers write to a Jersey {@link ChunkedOutput}: each flush becomes one HTTP chunk
 * sent at once. (A StreamingOutput cannot follow: Jersey holds its first 8 KiB until the end.)
 */
final class ChunkedLogOutput extends OutputStream {
  private final ChunkedOutput<String> chunks;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  ChunkedLogOutput(ChunkedOutput<String> chunks) {
    this.chunks = chunks;
  }

  @Override
  public void write(int b) {
    pending.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    pending.write(b, off, len);
  }

  /** Sends what was written since the last flush; throws once the client has gone away. */
  @Override
  public void flush() throws IOException {
    if (pending.size() > 0) {
      chunks.write(pending.toString(StandardCharsets.UTF_8));
      pending.reset();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      chunks.close();
    }
  }
}
