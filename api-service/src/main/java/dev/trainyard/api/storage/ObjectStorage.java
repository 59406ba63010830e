package dev.trainyard.api.storage;

import dev.trainyard.store.objects.TrainerLogArchive;
import dev.trainyard.workflows.messages.SubmittedSpec;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The few S3 operations the API needs, on one bucket, with Trainyard's key layout. */
public final class ObjectStorage {
  private final S3Client client;
  private final String bucket;

  public ObjectStorage(S3Client client, String bucket) {
    this.client = client;
    this.bucket = bucket;
  }

  /** Where a project's dataset is stored; the trainer derives the same key from DATASET_ID. */
  public static String datasetKey(String project, String datasetId) {
    return datasetPrefix(project) + datasetId + ".zip";
  }

  public static String datasetPrefix(String project) {
    return "datasets/" + SubmittedSpec.qualifiedDatasetId(project, "");
  }

  public static String checkpointPrefix(long jobId) {
    return "checkpoints/job-" + jobId + "/";
  }

  /**
   * HEADs the bucket within {@code deadline}, retries included; throws what the server or the
   * network answered (the health check's reason).
   */
  public void checkBucket(Duration deadline) {
    client.headBucket(b -> b.bucket(bucket).overrideConfiguration(o -> o.apiCallTimeout(deadline)));
  }

  /** The archived trainer logs in the same bucket ({@code logs/job-{id}/trainer.log.gz}). */
  public TrainerLogArchive logArchive() {
    return new TrainerLogArchive(client, bucket);
  }

  public String url(String key) {
    return "s3://" + bucket + "/" + key;
  }

  public void put(String key, Path file, String contentType) {
    client.putObject(
        b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(file));
  }

  public Optional<Long> size(String key) {
    try {
      HeadObjectResponse head = client.headObject(b -> b.bucket(bucket).key(key));
      return Optional.of(head.contentLength());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Up to 1,000 objects under the prefix (a job has a handful of checkpoints). */
  public List<S3Object> list(String prefix) {
    return client
        .listObjectsV2(
            ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).maxKeys(1000).build())
        .contents();
  }

  /** The object's bytes; the caller closes the stream. */
  public InputStream open(String key) {
    return client.getObject(b -> b.bucket(bucket).key(key));
  }
}
