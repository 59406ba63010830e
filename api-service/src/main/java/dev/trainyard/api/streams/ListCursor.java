package dev.trainyard.api.streams;

import dev.trainyard.api.errors.InvalidRequestException;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The list stream's SSE id: the moment a flush was made ({@code u<epoch microseconds>}). A
 * reconnecting client gets every matching job changed since then, minus {@link #LOOKBACK_MICROS}: a
 * job row's change time is its transaction's start, which may precede its commit a little, and a
 * snapshot sent twice does no harm (the latest wins).
 */
final class ListCursor {
  static final long LOOKBACK_MICROS = 5_000_000;
  private static final Pattern FORMAT = Pattern.compile("u\\d{1,18}");

  private ListCursor() {}

  static String at(Instant instant) {
    return "u" + (instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000);
  }

  /** Where to resume from; null when the client sent no id (it starts from now). */
  static Instant resumeFrom(String lastEventId) {
    if (lastEventId == null || lastEventId.isEmpty()) {
      return null;
    }
    if (!FORMAT.matcher(lastEventId).matches()) {
      throw InvalidRequestException.field(
          "Last-Event-ID",
          "must be an id this list stream sent (u<digits>); omit it to start over");
    }
    long micros = Long.parseLong(lastEventId.substring(1)) - LOOKBACK_MICROS;
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000);
  }
}
