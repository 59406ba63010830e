package dev.trainyard.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The model names the Python trainer accepts and refuses, read from the file its own test reads
 * (trainer-ultralytics/tests/model_names.json), so the API's submit rule and the trainer's check
 * cannot drift apart.
 */
public final class ModelNames {
  static final Path FILE = Path.of("trainer-ultralytics", "tests", "model_names.json");

  private ModelNames() {}

  public static List<String> accepted() {
    List<String> names = new ArrayList<>();
    read().path("accepted").forEach(name -> names.add(name.asText()));
    return names;
  }

  /** Name to why the trainer refuses it. */
  public static List<Map.Entry<String, String>> refused() {
    List<Map.Entry<String, String>> names = new ArrayList<>();
    read()
        .path("refused")
        .forEach(e -> names.add(Map.entry(e.path("name").asText(), e.path("why").asText())));
    return names;
  }

  private static JsonNode read() {
    Path file = locate();
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Maven runs the tests in api-service/; the file is in the trainer's folder beside it. */
  private static Path locate() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(FILE))) {
        return dir.resolve(FILE);
      }
    }
    throw new IllegalStateException(
        FILE + " not found above " + Path.of("").toAbsolutePath() + ": run from the checkout");
  }
}
