package dev.trainyard.app.temporal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.temporal.api.enums.v1.IndexedValueType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The repository's {@code temporal-config/} folder, read for {@code temporal server start-dev}: the
 * same dynamic config and search attributes that docker-compose's Temporal gets, so the dev stack,
 * the e2e suite and compose run alike.
 */
public final class TemporalConfigFiles {
  public static final String FOLDER = "temporal-config";
  public static final Path DYNAMIC_CONFIG = Path.of("dynamicconfig", "trainyard.yaml");
  public static final Path SEARCH_ATTRIBUTES = Path.of("search-attributes.txt");
  public static final Path REGISTER_SCRIPT = Path.of("register.sh");

  private final Path directory;

  public TemporalConfigFiles(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
  }

  public Path directory() {
    return directory;
  }

  /**
   * {@code --dynamic-config-value KEY=JSON} pairs for the dev server: the first unconstrained value
   * of each key. Constrained values (per namespace, per task queue) have no flag form and are left
   * to the real server.
   */
  public List<String> devServerFlags() {
    List<String> flags = new ArrayList<>();
    dynamicConfigValues()
        .forEach(
            (key, json) -> {
              flags.add("--dynamic-config-value");
              flags.add(key + "=" + json);
            });
    return flags;
  }

  /** Key → JSON value of every unconstrained dynamic-config entry, in file order. */
  public Map<String, String> dynamicConfigValues() {
    JsonNode root = readYaml(directory.resolve(DYNAMIC_CONFIG));
    Map<String, String> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      for (JsonNode candidate : entry.getValue()) {
        JsonNode constraints = candidate.path("constraints");
        if (constraints.isMissingNode() || constraints.isNull() || constraints.isEmpty()) {
          values.put(entry.getKey(), candidate.path("value").toString());
          break;
        }
      }
    }
    return values;
  }

  /** Name → type of each attribute in {@code search-attributes.txt} ("NAME TYPE" per line). */
  public Map<String, IndexedValueType> searchAttributes() {
    Map<String, IndexedValueType> attributes = new LinkedHashMap<>();
    for (String line : readLines(directory.resolve(SEARCH_ATTRIBUTES))) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] parts = trimmed.split("\\s+");
      if (parts.length != 2) {
        throw new IllegalArgumentException(
            "expected 'NAME TYPE' in " + SEARCH_ATTRIBUTES + ": " + line);
      }
      attributes.put(parts[0], indexedType(parts[1]));
    }
    return attributes;
  }

  /** The CLI's type names (Int, Keyword, KeywordList, Datetime ...) as the API's enum. */
  static IndexedValueType indexedType(String cliName) {
    String snake = cliName.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase();
    return IndexedValueType.valueOf("INDEXED_VALUE_TYPE_" + snake);
  }

  private static JsonNode readYaml(Path file) {
    try {
      JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
      return node == null ? new ObjectMapper().createObjectNode() : node;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
