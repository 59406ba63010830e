package dev.trainyard.activities.logs;

import dev.trainyard.store.objects.S3Settings;
import dev.trainyard.store.objects.TrainerLogArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.FilesystemApiMetadata;

/**
 * The archive on a real S3-protocol server (S3Proxy on files, as the dev stack runs it), one per
 * test JVM, with the client the worker builds from its storage block.
 */
public final class ArchiveServer {
  private static final String BUCKET = "trainyard";
  private static ArchiveServer instance;

  public final TrainerLogArchive archive;

  private ArchiveServer() throws Exception {
    Path directory = Files.createTempDirectory("trainyard-archive-test-");
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", directory.toString());
    BlobStoreContext context =
        ContextBuilder.newBuilder(new FilesystemApiMetadata())
            .credentials("test-access", "test-secret")
            .overrides(properties)
            .buildView(BlobStoreContext.class);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "test-access", "test-secret")
            .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(20);
    }
    context.getBlobStore().createContainerInLocation(null, BUCKET);
    S3Settings settings = new S3Settings();
    settings.setEndpoint("http://127.0.0.1:" + port);
    settings.setBucket(BUCKET);
    settings.setAccessKey("test-access");
    settings.setSecretKey("test-secret");
    archive = new TrainerLogArchive(settings.client(), BUCKET);
  }

  public static synchronized ArchiveServer get() {
    if (instance == null) {
      try {
        instance = new ArchiveServer();
      } catch (Exception e) {
        throw new IllegalStateException("S3Proxy did not start", e);
      }
    }
    return instance;
  }

  /** The job's archived log as text, read back as the API reads it; empty when none. */
  public Optional<String> read(long jobId) {
    Optional<InputStream> log = archive.open(jobId);
    if (log.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = log.get()) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
