package dev.trainyard.api.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard's files, read from the jar once and kept (they are small and never change while the
 * server runs). A name is looked up only if it is a plain relative path with a known extension, so
 * no request can reach another class-path resource.
 */
final class DashboardAssets {
  static final String ROOT = "dashboard/";

  /** The uPlot webjar's files, under a name without its version. */
  private static final Map<String, String> UPLOT =
      Map.of(
          "uplot/uPlot.esm.js", "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.esm.js",
          "uplot/uPlot.min.css", "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css");

  private static final Pattern SAFE_NAME =
      Pattern.compile("([a-z0-9][a-z0-9_-]*/)*[A-Za-z0-9][A-Za-z0-9_.-]*\\.(js|css|svg|html)");

  private static final Map<String, String> TYPES =
      Map.of(
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "html", "text/html; charset=utf-8");

  record Asset(byte[] body, String type, String etag) {}

  private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

  Optional<Asset> find(String name) {
    if (name == null || !SAFE_NAME.matcher(name).matches() || name.contains("..")) {
      return Optional.empty();
    }
    return cache.computeIfAbsent(name, DashboardAssets::load);
  }

  private static Optional<Asset> load(String name) {
    String resource = UPLOT.getOrDefault(name, ROOT + name);
    try (InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] body = in.readAllBytes();
      String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
      return Optional.of(new Asset(body, TYPES.get(extension), etag(body)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String etag(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
