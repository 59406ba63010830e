package dev.trainyard.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which raw paths the user port refuses as (possibly) callback routes. */
class CallbackPortSplitTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v1/jobs/1/heartbeat",
        "/v1/jobs/1/event",
        "/v1/jobs/1/done",
        "/v1/jobs/1/done/",
        "/v1/jobs/01/done",
        "/v1/jobs/x/done",
        "/v1/jobs/1/heart%62eat",
        "/v1/jobs/1/%64one",
        "/v1/%6Aobs/1/done",
        "/v1/jobs/1%2Fdone",
        "/v1/jobs/1/Done",
        "/v1/jobs/1/done;x=y",
        "/v1/jobs;a=b/1/event",
        "/api/v1/jobs/1/heartbeat",
      })
  void refusedOnTheUserPort(String path) {
    assertThat(CallbackPortSplit.mayBeCallbackRoute(path)).as(path).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v1/jobs",
        "/v1/jobs/1",
        "/v1/jobs/1/cancel",
        "/v1/jobs/1/events",
        "/v1/jobs/1/metrics",
        "/v1/jobs/1/logs",
        "/v1/jobs/1/artifacts/done",
        "/v1/jobs/1/artifacts/event",
        "/v1/projects/p/datasets/done",
        "/v1/jobs/1/heartbeats",
        "/v1/jobs/1/done%",
      })
  void servedOnTheUserPort(String path) {
    assertThat(CallbackPortSplit.mayBeCallbackRoute(path)).as(path).isFalse();
  }
}
