package dev.trainyard.bench.report;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of the API's {@code /metrics} after the run, as Prometheus would make it: the
 * heartbeats the API counted as answered 200 (to set beside the fleet's own count), the group
 * commit's mean batch, and how long the scrape itself took and weighed. Its failure is reported,
 * never fatal: the figures of the run stand without it.
 */
public final class ApiMetricsScrape {
  private static final Pattern SAMPLE = Pattern.compile("^(\\S+) (\\S+)$", Pattern.MULTILINE);

  private ApiMetricsScrape() {}

  public static Map<String, Object> read(String adminUrl) {
    Map<String, Object> result = new LinkedHashMap<>();
    try {
      long started = System.nanoTime();
      HttpResponse<String> reply =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(adminUrl + "/metrics"))
                      .timeout(Duration.ofSeconds(30))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      result.put("status", reply.statusCode());
      result.put("millis", (System.nanoTime() - started) / 1_000_000);
      result.put("bytes", reply.body().length());
      Map<String, Double> samples = new LinkedHashMap<>();
      Matcher line = SAMPLE.matcher(reply.body());
      while (line.find()) {
        samples.put(line.group(1), Double.parseDouble(line.group(2)));
      }
      result.put(
          "heartbeats_200",
          samples.get("trainyard_callbacks_total{code=\"200\",route=\"heartbeat\"}"));
      Double batches = samples.get("trainyard_heartbeat_batch_size_count");
      Double rows = samples.get("trainyard_heartbeat_batch_size_sum");
      if (batches != null && rows != null && batches > 0) {
        result.put("mean_heartbeat_batch", Math.round(rows / batches * 10) / 10.0);
      }
    } catch (Exception e) {
      result.put("error", e.toString());
    }
    return result;
  }
}
