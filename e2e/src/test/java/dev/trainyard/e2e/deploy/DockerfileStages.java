package dev.trainyard.e2e.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Dockerfile gives a container, read from the file as written (no Docker engine runs here):
 * per stage its environment ({@code ENV}), entrypoint and command, the files it copies from the
 * build context (also through {@code COPY --from} another stage) and the Python virtual
 * environments it makes. Stages inherit all of it from a stage they are built {@code FROM}. Only
 * the instructions Trainyard's Dockerfiles use are understood; anything else stops the test.
 */
final class DockerfileStages {
  /** A file or folder of the build context at {@code imagePath} in the image. */
  record ContextCopy(String source, String imagePath) {}

  record Stage(
      String name,
      Map<String, String> environment,
      List<String> entrypoint,
      List<String> command,
      List<ContextCopy> files,
      List<String> virtualEnvironments,
      String workdir) {

    /** The build-context file (relative to the repository) at {@code imagePath}, if one is. */
    Optional<String> contextFile(String imagePath) {
      for (ContextCopy file : files) {
        String folder = file.imagePath().endsWith("/") ? file.imagePath() : file.imagePath() + "/";
        if (file.imagePath().equals(imagePath)) {
          return Optional.of(file.source());
        }
        if (imagePath.startsWith(folder)) {
          String source = file.source().endsWith("/") ? file.source() : file.source() + "/";
          return Optional.of(source + imagePath.substring(folder.length()));
        }
      }
      return Optional.empty();
    }
  }

  private static final Pattern FROM =
      Pattern.compile("(?i)FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*");
  private static final Pattern VENV = Pattern.compile("-m\\s+venv\\s+(/\\S+)");
  private static final Pattern ENV_PAIR =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Stage> stages;

  private DockerfileStages(Map<String, Stage> stages) {
    this.stages = stages;
  }

  /** A Dockerfile built with the repository's root as its context (app/Dockerfile). */
  static DockerfileStages read(Path dockerfile) throws IOException {
    return read(dockerfile, "");
  }

  /**
   * @param context the build context, relative to the repository ("trainer-ultralytics" for
   *     trainer-ultralytics/Dockerfile); the stages' file sources are relative to the repository
   */
  static DockerfileStages read(Path dockerfile, String context) throws IOException {
    Map<String, Stage> stages = new LinkedHashMap<>();
    Builder current = null;
    for (String instruction : instructions(Files.readString(dockerfile))) {
      String keyword = instruction.split("\\s+", 2)[0].toUpperCase();
      String rest = instruction.substring(keyword.length()).trim();
      switch (keyword) {
        case "FROM" -> {
          if (current != null) {
            stages.put(current.name, current.build());
          }
          Matcher from = FROM.matcher(instruction);
          if (!from.matches()) {
            throw new IllegalArgumentException(dockerfile + ": cannot read " + instruction);
          }
          String name = from.group(2) == null ? "stage-" + stages.size() : from.group(2);
          current = new Builder(name, stages.get(from.group(1)));
        }
        case "ENV" -> current.env(rest);
        case "COPY" -> current.copy(rest, stages, context);
        case "RUN" -> {
          Matcher venv = VENV.matcher(rest);
          while (venv.find()) {
            current.venvs.add(venv.group(1));
          }
        }
        case "ENTRYPOINT" -> current.entrypoint = exec(rest, instruction);
        case "CMD" -> current.command = exec(rest, instruction);
        case "WORKDIR" -> current.workdir = current.absolute(rest);
        case "USER", "EXPOSE", "ARG" -> {
          // nothing a process reads
        }
        default -> throw new IllegalArgumentException(dockerfile + ": unknown " + instruction);
      }
    }
    stages.put(current.name, current.build());
    return new DockerfileStages(stages);
  }

  Stage stage(String name) {
    return Optional.ofNullable(stages.get(name))
        .orElseThrow(() -> new AssertionError("no stage " + name + " in the Dockerfile"));
  }

  /** The last stage: what {@code docker build} makes without {@code --target}. */
  Stage last() {
    List<Stage> all = new ArrayList<>(stages.values());
    return all.get(all.size() - 1);
  }

  private static List<String> exec(String json, String instruction) {
    try {
      return JSON.readValue(json, new TypeReference<List<String>>() {});
    } catch (IOException e) {
      throw new IllegalArgumentException("not exec form (a JSON array): " + instruction, e);
    }
  }

  /** Instructions with their line continuations joined, comments and blank lines dropped. */
  private static List<String> instructions(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.isEmpty())) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      pending.append(trimmed);
      out.add(pending.toString().trim());
      pending.setLength(0);
    }
    return out;
  }

  private static final class Builder {
    final String name;
    final Map<String, String> env = new LinkedHashMap<>();
    final List<ContextCopy> files = new ArrayList<>();
    final List<String> venvs = new ArrayList<>();
    List<String> entrypoint = List.of();
    List<String> command = List.of();
    String workdir = "/";

    Builder(String name, Stage base) {
      this.name = name;
      if (base != null) {
        env.putAll(base.environment());
        files.addAll(base.files());
        venvs.addAll(base.virtualEnvironments());
        entrypoint = base.entrypoint();
        command = base.command();
        workdir = base.workdir();
      }
    }

    void env(String pairs) {
      Matcher pair = ENV_PAIR.matcher(pairs);
      int end = 0;
      while (pair.find()) {
        String value = pair.group(2);
        if (value.startsWith("\"")) {
          value = value.substring(1, value.length() - 1).replace("\\\"", "\"");
        }
        env.put(pair.group(1), value);
        end = pair.end();
      }
      if (!pairs.substring(end).isBlank()) {
        throw new IllegalArgumentException("cannot read ENV " + pairs);
      }
    }

    void copy(String arguments, Map<String, Stage> stages, String context) {
      List<String> words = new ArrayList<>(List.of(arguments.split("\\s+")));
      String fromStage = null;
      while (words.get(0).startsWith("--")) {
        String flag = words.remove(0);
        if (flag.startsWith("--from=")) {
          fromStage = flag.substring("--from=".length());
        }
      }
      String destination = words.remove(words.size() - 1);
      if (destination.equals(".") || destination.equals("./")) {
        destination = workdir.endsWith("/") ? workdir : workdir + "/";
      } else {
        destination = absolute(destination) + (destination.endsWith("/") ? "/" : "");
      }
      for (String source : words) {
        if (fromStage == null) {
          String inRepository =
              context.isEmpty() ? source : context + "/" + (source.equals(".") ? "" : source);
          files.add(new ContextCopy(inRepository, target(source, destination)));
        } else if (stages.containsKey(fromStage)) {
          // the other stage's context files under source, now under destination
          for (ContextCopy file : stages.get(fromStage).files()) {
            String prefix = source.endsWith("/") ? source : source + "/";
            if (file.imagePath().equals(source) || file.imagePath().startsWith(prefix)) {
              String below = file.imagePath().substring(source.length());
              files.add(new ContextCopy(file.source(), strip(destination) + below));
            }
          }
        }
        // --from an image (a JRE) or the build stage (the jars): nothing of the context
      }
    }

    String absolute(String path) {
      String resolved = path.startsWith("/") ? path : Path.of(workdir).resolve(path).toString();
      return strip(Path.of(resolved).normalize().toString());
    }

    private static String target(String source, String destination) {
      if (!destination.endsWith("/")) {
        return destination;
      }
      if (source.endsWith("/")) {
        return strip(destination); // a folder's contents into the folder
      }
      return destination + Path.of(source).getFileName();
    }

    private static String strip(String path) {
      return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    Stage build() {
      return new Stage(
          name,
          Map.copyOf(env),
          List.copyOf(entrypoint),
          List.copyOf(command),
          List.copyOf(files),
          List.copyOf(venvs),
          workdir);
    }
  }
}
