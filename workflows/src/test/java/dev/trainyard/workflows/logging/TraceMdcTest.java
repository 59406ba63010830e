package dev.trainyard.workflows.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TraceMdcTest {
  @AfterEach
  void clear() {
    MDC.clear();
  }

  @Test
  void tagsTheScopeAndRemovesTheIdAfterwards() {
    try (TraceMdc ignored = TraceMdc.of(12, "trace-1")) {
      assertThat(MDC.get("trace_id")).isEqualTo("trace-1");
      assertThat(MDC.get("job_id")).isEqualTo("12");
    }
    assertThat(MDC.get("trace_id")).isNull();
    assertThat(MDC.get("job_id")).isNull();
  }

  @Test
  void restoresTheEnclosingScopesId() {
    try (TraceMdc outer = TraceMdc.of(1, "outer")) {
      try (TraceMdc inner = TraceMdc.of(2, "inner")) {
        assertThat(MDC.get("trace_id")).isEqualTo("inner");
        assertThat(MDC.get("job_id")).isEqualTo("2");
      }
      assertThat(MDC.get("trace_id")).isEqualTo("outer");
      assertThat(MDC.get("job_id")).isEqualTo("1");
    }
    assertThat(MDC.get("trace_id")).isNull();
  }

  @Test
  void anIdLearnedInsideTheScopeIsRemovedWithIt() {
    try (TraceMdc trace = TraceMdc.untilKnown()) {
      assertThat(MDC.get("trace_id")).isNull();
      trace.set(7, null);
      assertThat(MDC.get("trace_id")).isNull();
      assertThat(MDC.get("job_id")).isEqualTo("7");
      trace.set(7, "learned");
      assertThat(MDC.get("trace_id")).isEqualTo("learned");
    }
    assertThat(MDC.get("trace_id")).isNull();
    assertThat(MDC.get("job_id")).isNull();
  }
}
