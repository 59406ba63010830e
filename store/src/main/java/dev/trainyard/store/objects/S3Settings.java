package dev.trainyard.store.objects;

import com.fasterxml.jackson.annotation.JsonProperty;
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
 * An S3-compatible bucket (AWS, R2, MinIO, S3Proxy) and how to reach it: the API's {@code storage}
 * block and the worker's, read the same way so both processes build the same client.
 */
public class S3Settings {
  /** Empty for AWS itself; the server's URL for anything S3-compatible. */
  private String endpoint;

  @NotBlank private String region = "us-east-1";
  @NotBlank private String bucket;

  /** With no access key, the AWS default credential chain is used. */
  private String accessKey;

  private String secretKey;

  /** A new client; the caller closes it. */
  public S3Client client() {
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

  // The secret key must never reach a log line.
  @Override
  public String toString() {
    return "S3[endpoint="
        + (endpoint == null || endpoint.isBlank() ? "aws" : endpoint)
        + ", region="
        + region
        + ", bucket="
        + bucket
        + ", accessKey="
        + (accessKey == null || accessKey.isBlank() ? "<default chain>" : accessKey)
        + "]";
  }
}
