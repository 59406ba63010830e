package dev.trainyard.api.openapi;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The shapes of the dataset and artifact replies, which those resources build as maps: these
 * records only describe them (schemathesis checks the description against the real replies in CI,
 * so the two cannot drift apart unnoticed).
 */
public final class StorageReplies {
  private StorageReplies() {}

  @Schema(name = "Dataset")
  public record Dataset(
      @JsonProperty("dataset_id") @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
          String datasetId,
      @JsonProperty("key") @Schema(description = "The object's key in the bucket") String key,
      @JsonProperty("url") @Schema(description = "The object's storage URL") String url,
      @JsonProperty("size_bytes") long sizeBytes,
      @JsonProperty("last_modified") @Schema(description = "In lists only") String lastModified) {}

  @Schema(name = "DatasetList")
  public record DatasetList(
      @JsonProperty("project") @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String project,
      @JsonProperty("datasets") @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
          List<Dataset> datasets) {}

  @Schema(name = "UploadedDataset")
  public record UploadedDataset(
      @JsonProperty("dataset_id") @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
          String datasetId,
      @JsonProperty("key") String key,
      @JsonProperty("url") String url,
      @JsonProperty("size_bytes") long sizeBytes,
      @JsonProperty("entries") long entries,
      @JsonProperty("images") long images,
      @JsonProperty("classes") List<String> classes) {}

  @Schema(name = "Artifact")
  public record Artifact(
      @JsonProperty("name") @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String name,
      @JsonProperty("url") String url,
      @JsonProperty("size_bytes") long sizeBytes,
      @JsonProperty("last_modified") String lastModified,
      @JsonProperty("download_path")
          @Schema(description = "GET it (with the key) to download the file")
          String downloadPath) {}

  @Schema(name = "ArtifactList")
  public record ArtifactList(
      @JsonProperty("job_id") long jobId,
      @JsonProperty("artifacts") @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
          List<Artifact> artifacts) {}
}
