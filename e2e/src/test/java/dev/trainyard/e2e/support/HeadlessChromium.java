package dev.trainyard.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, with no network chatter of its own (nothing outside loopback is
 * reachable here) and a fresh profile per call. {@code --virtual-time-budget} lets the UI's
 * JavaScript fetch and render before the DOM is dumped or the screenshot taken.
 */
public final class HeadlessChromium {
  private static final int VIRTUAL_TIME_BUDGET_MS = 8_000;
  private final Path binary;
  private final Path workDirectory;
  private int calls;

  public HeadlessChromium(Path binary, Path workDirectory) {
    this.binary = binary;
    this.workDirectory = workDirectory;
  }

  /** The page's DOM after its scripts ran. */
  public String dumpDom(String url) throws IOException, InterruptedException {
    Path out = workDirectory.resolve("dom-" + (++calls) + ".html");
    run(List.of("--dump-dom", url), out);
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  public void screenshot(String url, Path png) throws IOException, InterruptedException {
    run(
        List.of("--window-size=1440,1000", "--screenshot=" + png.toAbsolutePath(), url),
        workDirectory.resolve("screenshot-" + (++calls) + ".out"));
    if (!Files.isRegularFile(png)) {
      throw new IllegalStateException("chromium wrote no screenshot " + png);
    }
  }

  private void run(List<String> args, Path stdout) throws IOException, InterruptedException {
    Files.createDirectories(workDirectory);
    Path profile = Files.createTempDirectory(workDirectory, "profile-");
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=" + VIRTUAL_TIME_BUDGET_MS));
    command.addAll(args);
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(workDirectory.resolve("chromium-stderr.log").toFile())
            .start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new IllegalStateException("chromium did not finish within 90 s: " + command);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "chromium exited "
              + process.exitValue()
              + "; see "
              + workDirectory.resolve("chromium-stderr.log"));
    }
  }
}
