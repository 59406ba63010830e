package dev.trainyard.e2e.deploy;

import dev.trainyard.e2e.support.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file system the containers of one shape see, under one folder of this machine: what their
 * image stages copy from the repository (linked, not copied, so the files run are the checkout's),
 * their Python virtual environments (the local trainer venv stands in for the image's), their
 * volumes (a real folder at the mount point, the same one for every container that mounts it) and a
 * writable /tmp. A container path in a command or variable is the same path under {@link #root()}:
 * the processes of a shape share it, as containers sharing a volume share its paths.
 */
final class ContainerFiles {
  private static final Pattern ABSOLUTE =
      Pattern.compile("(?<![A-Za-z0-9_.:/-])(/[A-Za-z0-9_./*-]+)");

  private final Path root;

  ContainerFiles(Path root) throws IOException {
    this.root = root.toAbsolutePath();
    Files.createDirectories(this.root.resolve("tmp"));
  }

  Path root() {
    return root;
  }

  /** Lays out {@code stage}'s files; the venvs it makes are {@code venv}. */
  void install(DockerfileStages.Stage stage, Path venv) throws IOException {
    for (DockerfileStages.ContextCopy file : stage.files()) {
      link(file.imagePath(), Repository.file(file.source()));
    }
    for (String environment : stage.virtualEnvironments()) {
      link(environment, venv);
    }
  }

  /** A volume mounted at {@code path}: a folder of its own, shared by whoever mounts it there. */
  Path mount(String path) throws IOException {
    Path folder = at(path);
    if (Files.isSymbolicLink(folder)) {
      throw new AssertionError(path + " is both a volume and a file of the image");
    }
    return Files.createDirectories(folder);
  }

  /** A container path on this machine. */
  Path at(String containerPath) {
    if (!containerPath.startsWith("/")) {
      throw new IllegalArgumentException("not an absolute container path: " + containerPath);
    }
    return root.resolve(containerPath.substring(1));
  }

  /** {@code value} with every absolute container path in it (a path, a command) made local. */
  String rewrite(String value) {
    Matcher m = ABSOLUTE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(at(m.group(1)).toString()));
    }
    m.appendTail(out);
    return out.toString();
  }

  List<String> rewrite(List<String> values) {
    return values.stream().map(this::rewrite).toList();
  }

  private void link(String imagePath, Path target) throws IOException {
    Path link =
        at(imagePath.endsWith("/") ? imagePath.substring(0, imagePath.length() - 1) : imagePath);
    if (Files.isSymbolicLink(link) || Files.exists(link)) {
      if (!Files.isSymbolicLink(link) || !Files.readSymbolicLink(link).equals(target)) {
        throw new AssertionError(imagePath + " is two different things in the images of one shape");
      }
      return;
    }
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, target);
  }
}
