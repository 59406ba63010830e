package dev.trainyard.store.objects;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Trainer logs kept in the object store after their pod or file is gone: {@code
 * logs/job-<id>/trainer.log.gz}, the whole log gzipped, replaced by each newer copy. The worker
 * writes it (its launchers), the API reads it (the logs endpoint, the job stream, explain).
 */
public final class TrainerLogArchive {
  private final S3Client client;
  private final String bucket;

  public TrainerLogArchive(S3Client client, String bucket) {
    this.client = client;
    this.bucket = bucket;
  }

  public static String key(long jobId) {
    return "logs/job-" + jobId + "/trainer.log.gz";
  }

  public String url(long jobId) {
    return "s3://" + bucket + "/" + key(jobId);
  }

  /**
   * A gzipped copy of {@code log} in a temporary file: the upload then has a length (a single PUT),
   * and a log of any size never sits in memory. The caller closes it (which deletes the file).
   */
  public static Copy copy(InputStream log) throws IOException {
    Path gzip = Files.createTempFile("trainyard-log-", ".gz");
    try (CountingStream counted = new CountingStream(log);
        OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip), 64 * 1024)) {
      counted.transferTo(out);
      out.close();
      return new Copy(gzip, counted.count);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(gzip);
      throw e;
    }
  }

  /** Replaces the job's archive with {@code copy}. */
  public void put(long jobId, Copy copy) {
    client.putObject(
        b -> b.bucket(bucket).key(key(jobId)).contentType("application/gzip"),
        RequestBody.fromFile(copy.gzip));
  }

  /** A gzipped log waiting for its upload, and how long the log was. */
  public static final class Copy implements AutoCloseable {
    private final Path gzip;
    private final long logBytes;

    private Copy(Path gzip, long logBytes) {
      this.gzip = gzip;
      this.logBytes = logBytes;
    }

    public long logBytes() {
      return logBytes;
    }

    @Override
    public void close() throws IOException {
      Files.deleteIfExists(gzip);
    }
  }

  private static final class CountingStream extends FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count += b < 0 ? 0 : 1;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      count += Math.max(0, n);
      return n;
    }
  }

  /** The archived log, unzipped, or empty when none was archived; the caller closes it. */
  public Optional<InputStream> open(long jobId) {
    InputStream object;
    try {
      object = client.getObject(b -> b.bucket(bucket).key(key(jobId)));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
    try {
      return Optional.of(new GZIPInputStream(object, 64 * 1024));
    } catch (IOException e) {
      try {
        object.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException("the archived log of job " + jobId + " is no gzip", e);
    }
  }
}
