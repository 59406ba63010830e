package dev.trainyard.workflows.messages;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What the user submitted, validated and with defaults applied, fixed for the life of the job: the
 * one shape of the spec from the API's submit to the trainer's launch. The API's request is its
 * unvalidated wire form; the job's row, the workflow's input and the launch request wrap it.
 *
 * <p>{@code retry} and {@code checkpointEveryEpochs} came later: null in older histories and rows
 * (one attempt; a checkpoint every epoch), left out of the JSON when null so that a spec without
 * them is written as before. Read them through {@link #retryPolicy()} and {@link
 * #checkpointInterval()}, which are never null.
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
    JobTimeouts timeouts,
    @JsonInclude(JsonInclude.Include.NON_NULL) RetryPolicy retry,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer checkpointEveryEpochs) {

  /** The checkpoint interval when a spec names none. */
  public static final int DEFAULT_CHECKPOINT_EVERY_EPOCHS = 1;

  public static final int MAX_CHECKPOINT_EVERY_EPOCHS = 1000;

  /** A spec without a retry policy or checkpoint interval (one attempt, every epoch). */
  public SubmittedSpec(
      String framework,
      String modelName,
      String datasetId,
      int epochs,
      int batchSize,
      double learningRate,
      String projectId,
      Map<String, Object> hyperparameters,
      JobTimeouts timeouts) {
    this(
        framework,
        modelName,
        datasetId,
        epochs,
        batchSize,
        learningRate,
        projectId,
        hyperparameters,
        timeouts,
        null,
        null);
  }

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
        timeouts,
        retry,
        checkpointEveryEpochs);
  }

  /** The job's retry policy: {@link RetryPolicy#none()} when the spec has none. */
  @JsonIgnore
  public RetryPolicy retryPolicy() {
    return retry == null ? RetryPolicy.none() : retry;
  }

  /** Epochs between the trainer's checkpoints: 1 when the spec names none. */
  @JsonIgnore
  public Integer checkpointInterval() {
    return checkpointEveryEpochs == null ? DEFAULT_CHECKPOINT_EVERY_EPOCHS : checkpointEveryEpochs;
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
