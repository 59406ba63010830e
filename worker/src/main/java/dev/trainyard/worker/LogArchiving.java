package dev.trainyard.worker;

import dev.trainyard.activities.logs.TrainerLogArchiver;
import dev.trainyard.store.objects.S3Settings;
import dev.trainyard.store.objects.TrainerLogArchive;
import java.time.Duration;
import software.amazon.awssdk.services.s3.S3Client;

/** A worker's trainer-log archiver and the S3 client under it, closed in that order. */
public final class LogArchiving implements AutoCloseable {
  /** Copies run on this many threads: uploads are short, and a fleet's are spread over time. */
  static final int THREADS = 2;

  private final TrainerLogArchiver archiver;
  private final S3Client client;

  private LogArchiving(TrainerLogArchiver archiver, S3Client client) {
    this.archiver = archiver;
    this.client = client;
  }

  /** No storage block: trainer logs stay where the trainer wrote them. */
  public static LogArchiving off() {
    return new LogArchiving(TrainerLogArchiver.off(), null);
  }

  /** Logs archived in {@code storage}'s bucket every {@code interval} and at each trainer's end. */
  public static LogArchiving to(S3Settings storage, Duration interval) {
    S3Client client = storage.client();
    return new LogArchiving(
        new TrainerLogArchiver(
            new TrainerLogArchive(client, storage.getBucket()), interval, THREADS),
        client);
  }

  public TrainerLogArchiver archiver() {
    return archiver;
  }

  /** Waits for the copies under way (the last copy of a job that just ended), then closes. */
  @Override
  public void close() throws InterruptedException {
    try {
      archiver.close();
    } finally {
      if (client != null) {
        client.close();
      }
    }
  }
}
