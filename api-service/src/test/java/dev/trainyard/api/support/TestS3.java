package dev.trainyard.api.support;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.FilesystemApiMetadata;

/**
 * A real S3-protocol server for the API's storage tests (the same S3Proxy the dev stack runs, see
 * app's EmbeddedS3), backed by files in a temporary folder; started once per test JVM.
 */
public final class TestS3 {
  public static final String BUCKET = "trainyard";
  public static final String ACCESS_KEY = "test-access";
  public static final String SECRET_KEY = "test-secret";
  private static TestS3 instance;

  public final String endpoint;
  private final BlobStore blobs;

  private TestS3() throws Exception {
    Path directory = Files.createTempDirectory("trainyard-test-s3-");
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", directory.toString());
    BlobStoreContext context =
        ContextBuilder.newBuilder(new FilesystemApiMetadata())
            .credentials(ACCESS_KEY, SECRET_KEY)
            .overrides(properties)
            .buildView(BlobStoreContext.class);
    int port = TestStack.freePort();
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(20);
    }
    blobs = context.getBlobStore();
    blobs.createContainerInLocation(null, BUCKET);
    endpoint = "http://127.0.0.1:" + port;
  }

  public static synchronized TestS3 get() {
    if (instance == null) {
      try {
        instance = new TestS3();
      } catch (Exception e) {
        throw new IllegalStateException("S3Proxy did not start", e);
      }
    }
    return instance;
  }

  /** Every key in the bucket, read on the server's side (not through the API under test). */
  public java.util.List<String> keys() {
    return blobs
        .list(BUCKET, org.jclouds.blobstore.options.ListContainerOptions.Builder.recursive())
        .stream()
        .map(org.jclouds.blobstore.domain.StorageMetadata::getName)
        .toList();
  }

  public long size(String key) {
    return blobs.blobMetadata(BUCKET, key).getContentMetadata().getContentLength();
  }
}
