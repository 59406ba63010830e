package dev.trainyard.api.logs;

import java.util.List;

/**
 * Complete lines read from a log file, tokens masked, without their newlines; {@code ends[i]} is
 * the byte offset just after line {@code i}, and {@code end} where the next read starts.
 */
public record LogSlice(List<String> lines, long[] ends, long end) {
  /** The lines that end after {@code offset}: what a reader already at {@code offset} lacks. */
  public List<String> after(long offset) {
    int first = 0;
    while (first < ends.length && ends[first] <= offset) {
      first++;
    }
    return lines.subList(first, lines.size());
  }
}
