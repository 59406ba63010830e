package dev.trainyard.workflows.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The workflow's input and the launch request are in the histories of running workflows: the spec
 * must keep the JSON it had when one flat record held every field, or those workflows stop decoding
 * their own input.
 */
class JobSpecJsonTest {
  /** A TrainingJobInput as Temporal recorded it before the submitted spec became its own record. */
  private static final String RECORDED =
      """
      {"spec":{"jobId":7,"traceId":"trace-7","framework":"ultralytics","modelName":"yolov8n.pt",
       "datasetId":"coco8","epochs":3,"batchSize":16,"learningRate":0.01,"projectId":"demo",
       "hyperparameters":{"imgsz":640,"mosaic":0.5},
       "timeouts":{"heartbeatTimeoutSeconds":600,"startupTimeoutSeconds":900,
                   "maxRuntimeSeconds":86400,"cancelGraceSeconds":60}},
       "carried":null}
      """;

  private static final DataConverter TEMPORAL = DefaultDataConverter.newDefaultInstance();

  private static final TrainingJobInput INPUT =
      TrainingJobInput.start(
          new JobSpec(
              7,
              "trace-7",
              new SubmittedSpec(
                  "ultralytics",
                  "yolov8n.pt",
                  "coco8",
                  3,
                  16,
                  0.01,
                  "demo",
                  Map.of("imgsz", 640, "mosaic", 0.5),
                  new JobTimeouts(600, 900, 86_400, 60))));

  @Test
  void theInputIsWrittenWithTheFieldNamesItHadBefore() throws Exception {
    Payload payload = TEMPORAL.toPayload(INPUT).orElseThrow();
    ObjectMapper json = new ObjectMapper();

    JsonNode written = json.readTree(payload.getData().toStringUtf8());

    assertThat(written).isEqualTo(json.readTree(RECORDED));
  }

  @Test
  void anInputRecordedBeforeDecodesIntoTheSameSpec() {
    Payload recorded =
        TEMPORAL.toPayload(INPUT).orElseThrow().toBuilder()
            .setData(ByteString.copyFromUtf8(RECORDED))
            .build();

    TrainingJobInput decoded =
        TEMPORAL.fromPayload(recorded, TrainingJobInput.class, TrainingJobInput.class);

    assertThat(decoded).isEqualTo(INPUT);
  }
}
