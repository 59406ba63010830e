package dev.trainyard.api.storage;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The optional {@code storage:} block: an S3-compatible bucket (AWS, R2, MinIO, S3Proxy) holding
 * {@code datasets/{id}.zip} and {@code checkpoints/job-{id}/}. Without it the dataset and artifact
 * endpoints answer 503 with a reason.
 */
public class StorageFactory {
  /** Empty for AWS itself; the server's URL for anything S3-compatible. */
  private String endpoint;

  @NotBlank private String region = "us-east-1";
  @NotBlank private String bucket;

  /** With no access key, the AWS default credential chain is used. */
  private String accessKey;

  private String secretKey;

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
    return isBlank(accessKey) == isBlank(secretKey);
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
    return new ObjectStorage(client, bucket);
  }

  S3Client client() {
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.of(region))
            .httpClient(UrlConnectionHttpClient.create())
            // SDK >= 2.30 sends checksums by default that many S3-compatible servers reject
            // (S3Proxy answers 501); ask for them only where the operation requires them.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .credentialsProvider(
                accessKey == null || accessKey.isBlank()
                    ? DefaultCredentialsProvider.builder().build()
                    : StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(accessKey, secretKey)));
    if (endpoint != null && !endpoint.isBlank()) {
      builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
    }
    return builder.build();
  }

  @JsonProperty
  public String getEndpoint() {
    return endpoint;
  }

  @JsonProperty
  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  @JsonProperty
  public String getRegion() {
    return region;
  }

  @JsonProperty
  public void setRegion(String region) {
    this.region = region;
  }

  @JsonProperty
  public String getBucket() {
    return bucket;
  }

  @JsonProperty
  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

  @JsonProperty
  public String getAccessKey() {
    return accessKey;
  }

  @JsonProperty
  public void setAccessKey(String accessKey) {
    this.accessKey = accessKey;
  }

  @JsonProperty
  public String getSecretKey() {
    return secretKey;
  }

  @JsonProperty
  public void setSecretKey(String secretKey) {
    this.secretKey = secretKey;
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
