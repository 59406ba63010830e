package dev.trainyard.workflows.messages;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;

/**
 * What the user submitted, validated and with defaults applied, fixed for the life of the job: the
 * one shape of the spec from the API's submit to the trainer's launch. The API's request is its
 * unvalidated wire form; the job's row, the workflow's input and the launch request wrap it.
 */
public record SubmittedSpec(
    String framework,
    String modelName,
    String datasetId,
    int epochs,
    int batchSize,
    double learningRate,
    String projectId,
    Map<String, Object> hyperparameters,
    JobTimeouts timeouts) {

  /** The same spec with other hyperparameters, e.g. to compare the rest of two specs. */
  public SubmittedSpec withHyperparameters(Map<String, Object> other) {
    return new SubmittedSpec(
        framework,
        modelName,
        datasetId,
        epochs,
        batchSize,
        learningRate,
        projectId,
        other,
        timeouts);
  }

  /**
   * The dataset as storage names it: datasets belong to a project, so the trainer's {@code
   * DATASET_ID} is {@code <project>/<dataset id>}, and a trainer written against the seed, which
   * downloads {@code datasets/{DATASET_ID}.zip}, finds this project's copy and never another's.
   */
  @JsonIgnore
  public String qualifiedDatasetId() {
    return qualifiedDatasetId(projectId, datasetId);
  }

  public static String qualifiedDatasetId(String projectId, String datasetId) {
    return projectId + "/" + datasetId;
  }
}
