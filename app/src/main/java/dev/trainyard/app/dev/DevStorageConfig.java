package dev.trainyard.app.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Adds the embedded S3 server's {@code storage:} block to the dev stack's API configuration. */
final class DevStorageConfig {
  private DevStorageConfig() {}

  static void append(Path apiConfig, EmbeddedS3 s3) throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode root = (ObjectNode) yaml.readTree(Files.readString(apiConfig));
    ObjectNode storage = root.putObject("storage");
    storage.put("endpoint", s3.endpoint());
    storage.put("bucket", EmbeddedS3.BUCKET);
    storage.put("accessKey", EmbeddedS3.ACCESS_KEY);
    storage.put("secretKey", EmbeddedS3.SECRET_KEY);
    DevSecret.writePrivate(apiConfig, yaml.writeValueAsString(root));
  }
}
