package dev.trainyard.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The simulator writes heartbeat JSON by hand; it must be the contract's body, at the asked size.
 */
class PayloadsTest {
  @Test
  void aHeartbeatIsTheContractsBodyWithFreshMetricsOfAboutTheAskedSize() throws Exception {
    String trace = "6f1c7a52-8a51-4f6e-9d53-0c1f6c3e2b10";
    String first = Payloads.heartbeat(trace, 250, 256);
    JsonNode body = new ObjectMapper().readTree(first);

    assertThat(body.get("trace_id").asText()).isEqualTo(trace);
    assertThat(body.get("epoch").asInt()).isEqualTo(2);
    assertThat(body.get("step").asInt()).isEqualTo(250);
    assertThat(body.get("progress").asDouble()).isEqualTo(2.5);
    assertThat(body.get("metrics")).hasSize(10);
    body.get("metrics").forEach(value -> assertThat(value.isDouble()).isTrue());
    assertThat(body.get("metrics").toString().length()).isBetween(200, 300);
    assertThat(Payloads.heartbeat(trace, 250, 256)).isNotEqualTo(first);
  }
}
