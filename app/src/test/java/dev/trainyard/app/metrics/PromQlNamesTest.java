package dev.trainyard.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The name extractor the scrape test relies on: if it found nothing, that test would pass. */
class PromQlNamesTest {

  @Test
  void findsEveryMetricAndNoFunctionLabelKeywordOrVariable() {
    assertThat(
            PromQlNames.of(
                "sum by (route) (rate(trainyard_callbacks_total{code=~\"5..\",route!=\"x\"}"
                    + "[$__rate_interval])) / ignoring(code) group_left"
                    + " sum(rate(trainyard_callbacks_total[5m])) > 0.05 and on(instance)"
                    + " up{job=\"trainyard-api\"} == bool 1"))
        .containsExactly("trainyard_callbacks_total", "up");
    assertThat(
            PromQlNames.of(
                "histogram_quantile(0.99, sum by (le) (rate("
                    + "trainyard_callback_duration_seconds_bucket{route=\"heartbeat\"}[5m])))"))
        .containsExactly("trainyard_callback_duration_seconds_bucket");
    assertThat(PromQlNames.of("max(trainyard_job_oldest_age_seconds{status=\"queued\"}) > 900"))
        .containsExactly("trainyard_job_oldest_age_seconds");
    assertThat(
            PromQlNames.of(
                "temporal_sticky_cache_size offset 5m + 1e3 * absent(temporal_x_total)"
                    + " - max_over_time(jvm_threads_live_threads[1h:5m])"))
        .containsExactly(
            "jvm_threads_live_threads", "temporal_sticky_cache_size", "temporal_x_total");
  }

  @Test
  void tellsWhichScrapeJobEachSelectorReadsFrom() {
    assertThat(
            PromQlNames.jobs(
                "sum(trainyard_jobs{status=\"queued\", job=\"trainyard-api\"}) + up{job=~\"a|b\"}"
                    + " + trainyard_callbacks_total"))
        .containsOnlyKeys("trainyard_jobs", "up")
        .containsEntry("trainyard_jobs", java.util.Set.of("trainyard-api"))
        .containsEntry("up", java.util.Set.of("a", "b"));
  }
}
