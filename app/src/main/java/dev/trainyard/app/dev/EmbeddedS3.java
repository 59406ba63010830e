package dev.trainyard.app.dev;

import dev.trainyard.store.objects.S3Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.FilesystemApiMetadata;

/**
 * A real S3-protocol server for the dev stack and tests: S3Proxy in this JVM, backed by plain files
 * under the data dir (objects survive restarts), with signature authentication and the bucket
 * created. Trainers (boto3) and the API (AWS SDK v2) talk to it exactly as to MinIO or S3.
 */
public final class EmbeddedS3 implements AutoCloseable {
  public static final String BUCKET = "trainyard";
  public static final String ACCESS_KEY = "trainyard-dev";

  /** Dev only: the server listens on loopback and holds nothing but demo data. */
  public static final String SECRET_KEY = "trainyard-dev-secret";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final String accessKey;
  private final String secretKey;

  private EmbeddedS3(S3Proxy proxy, BlobStoreContext context, String accessKey, String secretKey) {
    this.proxy = proxy;
    this.context = context;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /** Starts on {@code port} (0 = any free one) storing objects under {@code directory}. */
  public static EmbeddedS3 start(Path directory, int port) throws Exception {
    return start(directory, port, ACCESS_KEY, SECRET_KEY);
  }

  /**
   * As {@link #start(Path, int)}, accepting only this key pair (the deploy-shape test gives it the
   * key a deploy's .env or Secret holds).
   */
  public static EmbeddedS3 start(Path directory, int port, String accessKey, String secretKey)
      throws Exception {
    Files.createDirectories(directory);
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", directory.toAbsolutePath().toString());
    BlobStoreContext context =
        // By ApiMetadata, not by id: an id lookup instantiates every provider on the classpath,
        // including S3Proxy's Azure one whose jclouds module is (deliberately) absent.
        ContextBuilder.newBuilder(new FilesystemApiMetadata())
            .credentials(accessKey, secretKey)
            .overrides(properties)
            .buildView(BlobStoreContext.class);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
            .build();
    EmbeddedS3 s3 = new EmbeddedS3(proxy, context, accessKey, secretKey);
    try {
      proxy.start();
      s3.awaitStarted();
      context.getBlobStore().createContainerInLocation(null, BUCKET);
    } catch (Exception | Error e) {
      s3.close();
      throw e;
    }
    return s3;
  }

  private void awaitStarted() throws InterruptedException, IOException {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (!"STARTED".equals(proxy.getState())) {
      if (Instant.now().isAfter(deadline)) {
        throw new IOException("S3Proxy did not start within " + START_TIMEOUT.toSeconds() + " s");
      }
      Thread.sleep(20);
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /** The API's and the worker's {@code storage} block for this server. */
  public S3Settings settings() {
    S3Settings settings = new S3Settings();
    settings.setEndpoint(endpoint());
    settings.setBucket(BUCKET);
    settings.setAccessKey(accessKey);
    settings.setSecretKey(secretKey);
    return settings;
  }

  public int port() {
    return proxy.getPort();
  }

  /**
   * The trainer's storage environment (the seed's MinIO names), plus the boto3 checksum settings
   * S3-compatible servers need: boto3 >= 1.36 sends checksums that S3Proxy answers with 501.
   */
  public Map<String, String> trainerEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("STORAGE_TYPE", "minio");
    env.put("MINIO_ENDPOINT", endpoint());
    env.put("MINIO_ACCESS_KEY", accessKey);
    env.put("MINIO_SECRET_KEY", secretKey);
    env.put("STORAGE_BUCKET", BUCKET);
    env.put("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required");
    env.put("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
    return env;
  }

  @Override
  public void close() throws Exception {
    try {
      proxy.stop();
    } finally {
      context.close();
    }
  }
}
