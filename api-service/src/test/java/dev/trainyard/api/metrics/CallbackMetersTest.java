package dev.trainyard.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallbackMetersTest {

  @Test
  void countsByRouteAndCodeIncludingCodesFirstSeenLateAndTimesByRoute() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CallbackMeters meters = new CallbackMeters(registry);

    meters.record(CallbackMeters.Route.HEARTBEAT, 200, TimeUnit.MILLISECONDS.toNanos(3));
    meters.record(CallbackMeters.Route.HEARTBEAT, 200, TimeUnit.MILLISECONDS.toNanos(5));
    meters.record(CallbackMeters.Route.DONE, 418, TimeUnit.MILLISECONDS.toNanos(1));
    meters.record(CallbackMeters.Route.DONE, 418, TimeUnit.MILLISECONDS.toNanos(1));
    meters.record(CallbackMeters.Route.EVENT, 0, 1); // no status set: counted as 500

    assertThat(count(registry, "heartbeat", "200")).isEqualTo(2);
    assertThat(count(registry, "done", "418")).isEqualTo(2);
    assertThat(count(registry, "event", "500")).isEqualTo(1);
    assertThat(count(registry, "event", "200")).isZero(); // registered at start
    assertThat(
            registry
                .get("trainyard.callback.duration")
                .tag("route", "heartbeat")
                .timer()
                .totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(8);
  }

  private static double count(SimpleMeterRegistry registry, String route, String code) {
    return registry
        .get("trainyard.callbacks")
        .tag("route", route)
        .tag("code", code)
        .counter()
        .count();
  }
}
