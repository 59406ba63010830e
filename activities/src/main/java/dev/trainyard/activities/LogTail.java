package dev.trainyard.activities;

import dev.trainyard.activities.logs.TrainerLogSource;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The last lines of a trainer's log, small enough to go into workflow history. Anything shaped like
 * a JWT is masked: a trainer that prints its environment must not leak its callback token there.
 */
public final class LogTail {
  public static final int MAX_LINES = 30;
  public static final int MAX_BYTES = 4096;
  private static final Pattern JWT =
      Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]+");

  private LogTail() {}

  public static String read(Path log) {
    if (log == null) {
      return "";
    }
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      int size = (int) Math.min(length, MAX_BYTES);
      byte[] bytes = new byte[size];
      file.seek(length - size);
      file.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      if (size < length) {
        // We started mid-file: the first line is a fragment.
        int newline = text.indexOf('\n');
        text = newline >= 0 ? text.substring(newline + 1) : text;
      }
      List<String> lines = Arrays.asList(text.split("\r?\n", -1));
      if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
        lines = lines.subList(0, lines.size() - 1);
      }
      // A retried job's log holds every attempt: the tail is the last attempt's alone.
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (TrainerLogSource.isAttemptMarker(lines.get(i))) {
          lines = lines.subList(i + 1, lines.size());
          break;
        }
      }
      List<String> last = lines.subList(Math.max(0, lines.size() - MAX_LINES), lines.size());
      return redact(String.join("\n", last));
    } catch (IOException e) {
      return "";
    }
  }

  /** Masks anything shaped like a JWT (used for every trainer output that leaves the launcher). */
  public static String redact(String text) {
    return text == null ? "" : JWT.matcher(text).replaceAll("[redacted token]");
  }
}
