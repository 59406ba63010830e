package dev.trainyard.api.metrics;

import dev.trainyard.workflows.metrics.LatencyBuckets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code trainyard_callbacks_total{route,code}} and {@code
 * trainyard_callback_duration_seconds{route}}, for the trainer's heartbeat, event and done. Built
 * for a path that serves thousands of heartbeats a second on two cores: every meter is looked up by
 * array index, never by a tag map, and the common codes are registered at start, so a request
 * records with two adds and allocates nothing. A code first seen later is registered once, then
 * read from the array like the others.
 */
public final class CallbackMeters {
  /** The callback routes, in the order of the meter arrays. */
  public enum Route {
    HEARTBEAT,
    EVENT,
    DONE;

    final String label = name().toLowerCase(Locale.ROOT);
  }

  /** What the callback API answers (docs/api.md), so their series exist from the first scrape. */
  private static final int[] EXPECTED_CODES = {
    200, 400, 401, 403, 404, 409, 413, 415, 422, 500, 503
  };

  /**
   * Upper bounds from a heartbeat's usual few milliseconds up to the group commit's 20 s wait
   * (HeartbeatWriter.MAX_WAIT), fourteen buckets.
   */
  private static final Duration[] BUCKETS =
      LatencyBuckets.between(Duration.ofMillis(1), Duration.ofSeconds(25));

  private static final int MAX_CODE = 599;

  private final MeterRegistry registry;
  private final Timer[] durations = new Timer[Route.values().length];
  private final AtomicReferenceArray<Counter>[] counts;

  @SuppressWarnings("unchecked")
  public CallbackMeters(MeterRegistry registry) {
    this.registry = registry;
    this.counts = new AtomicReferenceArray[Route.values().length];
    for (Route route : Route.values()) {
      durations[route.ordinal()] =
          Timer.builder("trainyard.callback.duration")
              .description("Time to answer a trainer callback, from the servlet filter's view")
              .tag("route", route.label)
              .serviceLevelObjectives(BUCKETS)
              .register(registry);
      counts[route.ordinal()] = new AtomicReferenceArray<>(MAX_CODE + 1);
      for (int code : EXPECTED_CODES) {
        counter(route, code);
      }
    }
  }

  /** Records one answered callback; {@code code} outside 100–599 is counted as 500. */
  public void record(Route route, int code, long nanos) {
    durations[route.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
    int known = code < 100 || code > MAX_CODE ? 500 : code;
    Counter counter = counts[route.ordinal()].get(known);
    (counter == null ? counter(route, known) : counter).increment();
  }

  private Counter counter(Route route, int code) {
    // registering twice returns the meter already there, so a race only repeats a lookup
    Counter counter =
        Counter.builder("trainyard.callbacks")
            .description("Trainer callbacks answered, by route and HTTP status code")
            .tag("route", route.label)
            .tag("code", Integer.toString(code))
            .register(registry);
    counts[route.ordinal()].set(code, counter);
    return counter;
  }
}
