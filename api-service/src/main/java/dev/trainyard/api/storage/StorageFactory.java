package dev.trainyard.api.storage;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.trainyard.store.objects.S3Settings;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The optional {@code storage:} block: an S3-compatible bucket (AWS, R2, MinIO, S3Proxy) holding
 * {@code datasets/{id}.zip}, {@code checkpoints/job-{id}/} and the archived trainer logs ({@code
 * logs/job-{id}/}). Without it the dataset and artifact endpoints answer 503 with a reason.
 */
public class StorageFactory extends S3Settings {
  @Min(1024)
  @Max(1L << 40)
  private long maxDatasetBytes = 2L * 1024 * 1024 * 1024;

  /**
   * The most a dataset may unpack to, all entries together (8 GiB: four times the default upload
   * size, below the trainer's own default limit of 20 GiB). Checked at upload by inflating every
   * entry, not by trusting the sizes the archive declares.
   */
  @Min(1024)
  @Max(1L << 42)
  private long maxUnpackedBytes = 8L * 1024 * 1024 * 1024;

  // Reported as "storage.keyPairComplete": half a key pair would fall back to no credentials at all
  // on the first upload, far from the setting at fault.
  @ValidationMethod(message = "accessKey and secretKey must be set together, or neither")
  @JsonIgnore
  public boolean isKeyPairComplete() {
    return isBlank(getAccessKey()) == isBlank(getSecretKey());
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  public ObjectStorage build(Environment environment) {
    S3Client client = client();
    environment
        .lifecycle()
        .manage(
            new Managed() {
              @Override
              public void stop() {
                client.close();
              }
            });
    return new ObjectStorage(client, getBucket());
  }

  @JsonProperty
  public long getMaxDatasetBytes() {
    return maxDatasetBytes;
  }

  @JsonProperty
  public void setMaxDatasetBytes(long maxDatasetBytes) {
    this.maxDatasetBytes = maxDatasetBytes;
  }

  @JsonProperty
  public long getMaxUnpackedBytes() {
    return maxUnpackedBytes;
  }

  @JsonProperty
  public void setMaxUnpackedBytes(long maxUnpackedBytes) {
    this.maxUnpackedBytes = maxUnpackedBytes;
  }
}
