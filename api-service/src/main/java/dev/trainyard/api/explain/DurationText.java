package dev.trainyard.api.explain;

import java.util.ArrayList;
import java.util.List;

/**
 * A length of time as people say it ("1 h 5 min", "42 s"), the way the dashboard writes durations:
 * at most the two largest units, so a long job does not read "3 d 4 h 12 min 9 s".
 */
public final class DurationText {
  private DurationText() {}

  public static String of(double seconds) {
    long s = Math.max(0, Math.round(seconds));
    List<String> parts = new ArrayList<>();
    if (s >= 86_400) {
      parts.add(s / 86_400 + " d");
    }
    if (s >= 3_600 && s % 86_400 >= 3_600) {
      parts.add((s % 86_400) / 3_600 + " h");
    }
    if (s < 86_400 && s % 3_600 >= 60) {
      parts.add((s % 3_600) / 60 + " min");
    }
    if (s < 3_600 && (s % 60 != 0 || s == 0)) {
      parts.add(s % 60 + " s");
    }
    return String.join(" ", parts);
  }
}
