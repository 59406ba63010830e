package dev.trainyard.api.logs;

import dev.trainyard.api.errors.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Serves a local trainer's log file: its last lines, then (when following) each complete line
 * appended to it until the job ends. Only files under the configured jobs directory are served: the
 * path comes from the database, and a tampered row must not turn this into a file reader.
 */
public final class LocalLogStreamer {
  /** How far back a tail looks for its lines; a 10,000-line tail of huge lines is cut here. */
  static final int MAX_TAIL_BYTES = 8 * 1024 * 1024;

  private final Path jobsDirectory;
  private final long pollMillis;

  LocalLogStreamer(Path jobsDirectory, long pollMillis) {
    this.jobsDirectory = jobsDirectory;
    this.pollMillis = pollMillis;
  }

  /** Whether a jobs directory is configured, so local trainer logs can be served at all. */
  public boolean servesFiles() {
    return jobsDirectory != null;
  }

  /** The log file, if it is one this API may serve; refuses everything else before streaming. */
  public Path checked(String trainerLog) {
    if (jobsDirectory == null) {
      throw new ApiException(
          503, "this API has no logs.jobsDirectory configured for local trainer logs");
    }
    Path path;
    try {
      path = Path.of(trainerLog).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new ApiException(403, "the job's log location is not a servable path");
    }
    if (!path.startsWith(jobsDirectory) || path.equals(jobsDirectory)) {
      throw new ApiException(403, "the job's log is outside the configured jobs directory");
    }
    try {
      // A symbolic link inside the directory could still point anywhere.
      if (Files.exists(path) && !path.toRealPath().startsWith(jobsDirectory.toRealPath())) {
        throw new ApiException(403, "the job's log is outside the configured jobs directory");
      }
    } catch (IOException e) {
      throw new ApiException(403, "the job's log cannot be resolved");
    }
    return path;
  }

  /** Writes the last {@code lines} lines, then follows while {@code ended} is false. */
  void stream(Path log, int lines, boolean follow, BooleanSupplier ended, OutputStream out)
      throws IOException {
    long offset = tailStart(log, lines);
    while (true) {
      // Read the "ended" flag first: lines written before the job ended are then always drained.
      boolean finished = !follow || ended.getAsBoolean();
      offset = copyLines(log, offset, out, finished);
      out.flush();
      if (finished) {
        return;
      }
      try {
        Thread.sleep(pollMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The offset where the last {@code lines} lines start. */
  public static long tailStart(Path log, int lines) throws IOException {
    if (!Files.exists(log)) {
      return 0;
    }
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long end = file.length();
      long position = end;
      int newlines = 0;
      byte[] block = new byte[64 * 1024];
      // A final newline ends the last line; it does not start another.
      boolean skipFinal = end > 0 && lastByte(file, end) == '\n';
      while (position > 0 && end - position < MAX_TAIL_BYTES) {
        int size = (int) Math.min(block.length, position);
        position -= size;
        file.seek(position);
        file.readFully(block, 0, size);
        for (int i = size - 1; i >= 0; i--) {
          if (block[i] == '\n' && !(skipFinal && position + i == end - 1)) {
            newlines++;
            if (newlines == lines) {
              return position + i + 1;
            }
          }
        }
      }
      return position;
    }
  }

  /**
   * Copies complete lines from {@code offset}; a partial last line waits for its newline unless
   * this is the final pass. Returns the new offset.
   */
  private static long copyLines(Path log, long offset, OutputStream out, boolean finalPass)
      throws IOException {
    LogSlice slice = readLines(log, offset, Long.MAX_VALUE, finalPass);
    for (String line : slice.lines()) {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return slice.end();
  }

  /**
   * The complete lines from {@code offset}, at most about {@code maxBytes} of them (always at least
   * one whole line); a partial last line waits for its newline unless this is the final pass. A
   * file shorter than {@code offset} was truncated or replaced: it is read from the start.
   */
  public static LogSlice readLines(Path log, long offset, long maxBytes, boolean finalPass)
      throws IOException {
    List<String> lines = new ArrayList<>();
    List<Long> ends = new ArrayList<>();
    if (!Files.exists(log)) {
      return new LogSlice(lines, new long[0], offset);
    }
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      if (length < offset) {
        offset = 0;
      }
      file.seek(offset);
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      long position = offset;
      long consumed = offset;
      byte[] buffer = new byte[64 * 1024];
      reading:
      while (position < length) {
        int read = file.read(buffer, 0, (int) Math.min(buffer.length, length - position));
        if (read < 0) {
          break;
        }
        for (int i = 0; i < read; i++) {
          if (buffer[i] == '\n') {
            lines.add(TokenMask.apply(line.toString(StandardCharsets.UTF_8)));
            line.reset();
            consumed = position + i + 1;
            ends.add(consumed);
            if (consumed - offset >= maxBytes) {
              break reading;
            }
          } else {
            line.write(buffer[i]);
          }
        }
        position += read;
      }
      if (finalPass && line.size() > 0 && consumed - offset < maxBytes && position >= length) {
        lines.add(TokenMask.apply(line.toString(StandardCharsets.UTF_8)));
        consumed = length;
        ends.add(consumed);
      }
      return new LogSlice(lines, ends.stream().mapToLong(Long::longValue).toArray(), consumed);
    }
  }

  private static int lastByte(RandomAccessFile file, long end) throws IOException {
    file.seek(end - 1);
    return file.read();
  }
}
