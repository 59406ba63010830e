package dev.trainyard.api.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.trainyard.api.errors.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Checks an uploaded dataset before it is stored, so a bad archive is refused at upload with a
 * reason rather than failing a training job later: a readable zip that unpacks safely within the
 * limit ({@link UnpackCheck}), and a data.yaml (at the top or inside one top-level folder) naming
 * train and val folders that exist in the archive, and the class names. The trainer checks all of
 * this again: storage may be written by other tools.
 */
public final class DatasetArchiveValidator {
  private static final long MAX_DATA_YAML_BYTES = 1024 * 1024;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final long maxUnpackedBytes;

  public DatasetArchiveValidator(long maxUnpackedBytes) {
    this.maxUnpackedBytes = maxUnpackedBytes;
  }

  /** A summary of a valid archive; {@link ApiException} 422 with the reason otherwise. */
  public record Summary(int entries, int images, List<String> classNames) {}

  public Summary validate(Path zip) {
    ZipFile archive;
    try {
      EntryCount.check(zip, UnpackCheck.MAX_ENTRIES);
      // Names as the raw bytes say, as Python reads them: an Info-ZIP unicode path extra field
      // could otherwise show this check a name other than the one the trainer unpacks to.
      archive = ZipFile.builder().setPath(zip).setUseUnicodeExtraFields(false).get();
    } catch (IOException e) {
      throw invalid("the upload is not a valid zip archive (" + e.getMessage() + ")");
    }
    try (archive;
        FileChannel file = FileChannel.open(zip, StandardOpenOption.READ)) {
      Map<String, ZipArchiveEntry> entries = UnpackCheck.check(archive, file, maxUnpackedBytes);
      List<String> names = new ArrayList<>(entries.keySet());
      String dataYaml = findDataYaml(names);
      String base = dataYaml.substring(0, dataYaml.length() - "data.yaml".length());
      JsonNode data = readYaml(archive, entries.get(dataYaml));
      for (String split : List.of("train", "val")) {
        JsonNode folder = data.path(split);
        if (!folder.isTextual() || folder.asText().isBlank()) {
          throw invalid("data.yaml must name a '" + split + "' folder");
        }
        String path = folder.asText().replace("./", "");
        UnpackCheck.checkName(path);
        String prefix = base + (path.endsWith("/") ? path : path + "/");
        if (names.stream().noneMatch(n -> n.startsWith(prefix) && !n.equals(prefix))) {
          throw invalid(
              "data.yaml " + split + " folder '" + folder.asText() + "' is empty or missing");
        }
      }
      List<String> classes = new ArrayList<>();
      data.path("names").elements().forEachRemaining(n -> classes.add(n.asText()));
      if (classes.isEmpty()) {
        throw invalid("data.yaml must list the class 'names'");
      }
      int images =
          (int)
              names.stream()
                  .map(n -> n.toLowerCase(Locale.ROOT))
                  .filter(
                      n ->
                          n.endsWith(".jpg")
                              || n.endsWith(".jpeg")
                              || n.endsWith(".png")
                              || n.endsWith(".bmp")
                              || n.endsWith(".webp"))
                  .count();
      return new Summary(names.size(), images, classes);
    } catch (IOException e) {
      throw invalid("the archive cannot be read: " + e.getMessage());
    }
  }

  private static String findDataYaml(List<String> names) {
    if (names.contains("data.yaml")) {
      return "data.yaml";
    }
    List<String> nested =
        names.stream()
            .filter(
                n ->
                    n.endsWith("/data.yaml")
                        && n.indexOf('/') == n.length() - "/data.yaml".length())
            .filter(n -> !n.startsWith("__MACOSX/"))
            .toList();
    if (nested.size() == 1) {
      return nested.get(0);
    }
    throw invalid("the archive has no data.yaml at its top level (or in one top-level folder)");
  }

  private static JsonNode readYaml(ZipFile archive, ZipArchiveEntry entry) throws IOException {
    if (entry.getSize() > MAX_DATA_YAML_BYTES) {
      throw invalid("data.yaml is larger than " + MAX_DATA_YAML_BYTES + " bytes");
    }
    try (InputStream in = archive.getInputStream(entry)) {
      JsonNode data = YAML.readTree(in.readNBytes((int) MAX_DATA_YAML_BYTES));
      if (data == null || !data.isObject()) {
        throw invalid("data.yaml must be a mapping with train, val and names");
      }
      return data;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw invalid("data.yaml is not valid YAML: " + e.getOriginalMessage());
    }
  }

  private static ApiException invalid(String reason) {
    return UnpackCheck.invalid(reason);
  }
}
