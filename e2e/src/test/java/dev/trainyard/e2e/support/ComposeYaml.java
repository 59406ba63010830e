package dev.trainyard.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml read as compose reads it, YAML merge keys resolved: the workers are copies of
 * {@code x-worker} ({@code <<: *worker}), which Jackson's YAML reader leaves unresolved; SnakeYAML
 * resolves them.
 */
public final class ComposeYaml {
  private ComposeYaml() {}

  @SuppressWarnings("unchecked")
  public static Map<String, Object> load() throws IOException {
    return (Map<String, Object>)
        new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(Files.readString(Repository.file("docker-compose.yml")));
  }

  public static JsonNode tree() throws IOException {
    return new ObjectMapper().valueToTree(load());
  }
}
