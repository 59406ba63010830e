package dev.trainyard.api.support;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads and writes {@link TestS3}'s bucket directly over S3, beside the API under test: puts the
 * objects a trainer would have written (checkpoints) and reads back what the API stored.
 */
public final class S3Objects {
  private final S3Client client;

  public S3Objects(TestS3 s3) {
    client =
        S3Client.builder()
            .region(Region.US_EAST_1)
            .httpClient(UrlConnectionHttpClient.create())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(TestS3.ACCESS_KEY, TestS3.SECRET_KEY)))
            .endpointOverride(URI.create(s3.endpoint))
            .forcePathStyle(true)
            .build();
  }

  public void put(String key, byte[] bytes) {
    client.putObject(b -> b.bucket(TestS3.BUCKET).key(key), RequestBody.fromBytes(bytes));
  }

  /** The object's bytes, or null if there is none. */
  public byte[] get(String key) {
    try {
      return client.getObjectAsBytes(b -> b.bucket(TestS3.BUCKET).key(key)).asByteArray();
    } catch (NoSuchKeyException e) {
      return null;
    }
  }

  /** Every object of the bucket as key → "etag size": changes whenever an object's bytes do. */
  public Map<String, String> listing() {
    Map<String, String> objects = new TreeMap<>();
    String token = null;
    do {
      var page =
          client.listObjectsV2(
              ListObjectsV2Request.builder()
                  .bucket(TestS3.BUCKET)
                  .continuationToken(token)
                  .build());
      for (S3Object object : page.contents()) {
        objects.put(object.key(), object.eTag() + " " + object.size());
      }
      token = page.isTruncated() ? page.nextContinuationToken() : null;
    } while (token != null);
    return objects;
  }
}
