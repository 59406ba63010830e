package dev.trainyard.app.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of a {@code /metrics}, as Prometheus' text format 0.0.4 has it: series → value. */
record Scrape(String text, Map<String, Double> samples) {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static Scrape of(String adminUrl) throws Exception {
    HttpResponse<String> reply =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(adminUrl + "/metrics"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (reply.statusCode() != 200
        || !reply
            .headers()
            .firstValue("Content-Type")
            .orElse("")
            .startsWith("text/plain; version=0.0.4")) {
      throw new AssertionError(adminUrl + "/metrics answered " + reply.statusCode());
    }
    Map<String, Double> samples = new TreeMap<>();
    Matcher line = SAMPLE.matcher(reply.body());
    while (line.find()) {
      String labels = line.group(2) == null ? "" : line.group(2);
      samples.put(line.group(1) + labels, Double.parseDouble(line.group(3)));
    }
    return new Scrape(reply.body(), samples);
  }

  /** Names of every series with a sample ({@code _bucket}, {@code _count} and {@code _sum} too). */
  Set<String> names() {
    Set<String> names = new java.util.TreeSet<>();
    for (String series : samples.keySet()) {
      int brace = series.indexOf('{');
      names.add(brace < 0 ? series : series.substring(0, brace));
    }
    return names;
  }

  /** The series' value, labels in Micrometer's order (sorted by name); 0 when absent. */
  double value(String series) {
    return samples.getOrDefault(series, 0.0);
  }
}
