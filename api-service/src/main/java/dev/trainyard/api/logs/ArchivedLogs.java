package dev.trainyard.api.logs;

import dev.trainyard.api.errors.ApiException;
import dev.trainyard.store.objects.TrainerLogArchive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Trainer logs read back from the object store ({@link TrainerLogArchive}) once their file or pod
 * is gone, or where this API cannot see them. The archive holds the log's bytes as they were, so
 * its offsets are the file's: a job stream's log cursor means the same in both.
 */
public final class ArchivedLogs {
  /** How often a follow of an archived log looks for a newer copy (the worker's is every 30 s). */
  static final long FOLLOW_POLL_MILLIS = 5_000;

  private final TrainerLogArchive archive;
  private final long pollMillis;

  ArchivedLogs(TrainerLogArchive archive, long pollMillis) {
    this.archive = archive;
    this.pollMillis = pollMillis;
  }

  /** Whether this API has storage to read archived logs from. */
  public boolean configured() {
    return archive != null;
  }

  /**
   * The archived lines that end after {@code offset}, only the last {@code lastLines} of them when
   * that is positive (and never more than {@link LocalLogStreamer#MAX_TAIL_BYTES}), tokens masked;
   * empty when nothing was archived. A last line without its newline waits for the next copy unless
   * this is the final pass. A 503 when the store cannot be read.
   */
  public Optional<LogSlice> read(long jobId, long offset, int lastLines, boolean finalPass) {
    if (archive == null) {
      return Optional.empty();
    }
    try {
      Optional<InputStream> opened = archive.open(jobId);
      if (opened.isEmpty()) {
        return Optional.empty();
      }
      try (InputStream in = opened.get()) {
        return Optional.of(lines(in, offset, lastLines, finalPass));
      }
    } catch (IOException | UncheckedIOException | SdkException e) {
      throw new ApiException(
          503, "the archived log of job " + jobId + " cannot be read: " + e.getMessage());
    }
  }

  /** Writes {@code first}, then (when following) what newer copies add, until {@code ended}. */
  void stream(long jobId, LogSlice first, boolean follow, BooleanSupplier ended, OutputStream out)
      throws IOException {
    write(first.lines(), out);
    long offset = first.end();
    while (follow) {
      try {
        Thread.sleep(pollMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      // The flag first: a copy read after the job ended holds every line it wrote.
      boolean finished = ended.getAsBoolean();
      LogSlice next = read(jobId, offset, 0, finished).orElse(null);
      if (next != null) {
        write(next.after(offset), out);
        offset = Math.max(offset, next.end());
      }
      if (finished) {
        return;
      }
    }
  }

  private static void write(List<String> lines, OutputStream out) throws IOException {
    for (String line : lines) {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    out.flush();
  }

  private static LogSlice lines(InputStream in, long offset, int lastLines, boolean finalPass)
      throws IOException {
    Deque<String> kept = new ArrayDeque<>();
    Deque<Long> ends = new ArrayDeque<>();
    long keptBytes = 0;
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    long position = 0;
    long consumed = 0;
    byte[] buffer = new byte[64 * 1024];
    int read;
    while ((read = in.read(buffer)) > 0) {
      for (int i = 0; i < read; i++) {
        position++;
        if (buffer[i] != '\n') {
          if (position > offset) {
            line.write(buffer[i]);
          }
          continue;
        }
        consumed = position;
        if (position > offset) {
          keptBytes += keep(kept, ends, line, consumed, lastLines);
          keptBytes = trim(kept, ends, keptBytes);
        }
        line.reset();
      }
    }
    if (finalPass && line.size() > 0) {
      consumed = position;
      keptBytes += keep(kept, ends, line, consumed, lastLines);
      trim(kept, ends, keptBytes);
    }
    List<String> masked = new ArrayList<>(kept.size());
    kept.forEach(l -> masked.add(TokenMask.apply(l)));
    return new LogSlice(
        masked, ends.stream().mapToLong(Long::longValue).toArray(), Math.max(consumed, offset));
  }

  private static int keep(
      Deque<String> kept, Deque<Long> ends, ByteArrayOutputStream line, long end, int lastLines) {
    String text = line.toString(StandardCharsets.UTF_8);
    kept.addLast(text);
    ends.addLast(end);
    if (lastLines > 0 && kept.size() > lastLines) {
      int dropped = kept.removeFirst().length();
      ends.removeFirst();
      return text.length() - dropped;
    }
    return text.length();
  }

  /**
   * Drops the oldest lines beyond {@link LocalLogStreamer#MAX_TAIL_BYTES}; returns what is left.
   */
  private static long trim(Deque<String> kept, Deque<Long> ends, long keptBytes) {
    while (keptBytes > LocalLogStreamer.MAX_TAIL_BYTES && kept.size() > 1) {
      keptBytes -= kept.removeFirst().length();
      ends.removeFirst();
    }
    return keptBytes;
  }
}
