package dev.trainyard.workflows.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyBucketsTest {

  @Test
  void theLadderRunsOneTwoAndAHalfFiveBetweenItsBounds() {
    assertThat(LatencyBuckets.between(Duration.ofMillis(1), Duration.ofMillis(25)))
        .containsExactly(
            Duration.ofMillis(1),
            Duration.ofMillis(2).plusNanos(500_000),
            Duration.ofMillis(5),
            Duration.ofMillis(10),
            Duration.ofMillis(25));
    assertThat(LatencyBuckets.between(Duration.ofMillis(5), Duration.ofSeconds(10)))
        .startsWith(Duration.ofMillis(5), Duration.ofMillis(10))
        .contains(Duration.ofMillis(500))
        .endsWith(Duration.ofSeconds(5), Duration.ofSeconds(10))
        .hasSize(11);
  }
}
