package dev.trainyard.app.dev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.api.storage.ObjectStorage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The dev stack's S3 server with the API's S3 client: the bucket exists, objects round-trip and
 * persist.
 */
class EmbeddedS3Test {
  @TempDir Path directory;

  @Test
  void objectsRoundTripAndSurviveARestart() throws Exception {
    Path file = directory.resolve("blob.bin");
    Files.writeString(file, "weights", StandardCharsets.UTF_8);
    try (EmbeddedS3 s3 = EmbeddedS3.start(directory.resolve("s3"), 0);
        S3Client client = client(s3)) {
      ObjectStorage storage = new ObjectStorage(client, EmbeddedS3.BUCKET);
      storage.put("checkpoints/job-1/best.pt", file, "application/octet-stream");
      assertThat(storage.size("checkpoints/job-1/best.pt")).contains(7L);
      assertThat(storage.size("checkpoints/job-1/missing.pt")).isEmpty();
    }
    try (EmbeddedS3 s3 = EmbeddedS3.start(directory.resolve("s3"), 0);
        S3Client client = client(s3)) {
      ObjectStorage storage = new ObjectStorage(client, EmbeddedS3.BUCKET);
      assertThat(storage.list("checkpoints/job-1/")).hasSize(1);
      assertThat(
              new String(
                  storage.open("checkpoints/job-1/best.pt").readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("weights");
    }
  }

  private static S3Client client(EmbeddedS3 s3) {
    return S3Client.builder()
        .region(Region.US_EAST_1)
        .httpClient(UrlConnectionHttpClient.create())
        .endpointOverride(URI.create(s3.endpoint()))
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY)))
        .build();
  }
}
