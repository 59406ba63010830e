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
    try (TraceMdc ignored = TraceMdc.of("trace-1")) {
      assertThat(MDC.get("trace_id")).isEqualTo("trace-1");
    }
    assertThat(MDC.get("trace_id")).isNull();
  }

  @Test
  void restoresTheEnclosingScopesId() {
    try (TraceMdc outer = TraceMdc.of("outer")) {
      try (TraceMdc inner = TraceMdc.of("inner")) {
        assertThat(MDC.get("trace_id")).isEqualTo("inner");
      }
      assertThat(MDC.get("trace_id")).isEqualTo("outer");
    }
    assertThat(MDC.get("trace_id")).isNull();
  }

  @Test
  void anIdLearnedInsideTheScopeIsRemovedWithIt() {
    try (TraceMdc trace = TraceMdc.untilKnown()) {
      assertThat(MDC.get("trace_id")).isNull();
      trace.set(null);
      assertThat(MDC.get("trace_id")).isNull();
      trace.set("learned");
      assertThat(MDC.get("trace_id")).isEqualTo("learned");
    }
    assertThat(MDC.get("trace_id")).isNull();
  }
}
