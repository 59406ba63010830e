package dev.trainyard.bench.support;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.app.cli.ApiReply;
import dev.trainyard.app.cli.ApiUnreachableException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * "Everything stored can be served back": every list and view answers 200 with one complete JSON
 * document, read by a strict parser (no NaN, no trailing data, no duplicate keys), at several page
 * sizes and through every page.
 */
public final class ServedBack {
  /** As strict as RFC 8259: what any client must be able to read. */
  public static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  private static final int MAX_PAGES = 200;
  private final ApiClient http;

  public ServedBack(ApiClient http) {
    this.http = http;
  }

  /**
   * Problems with the job list at page sizes 1, 7, 50 and 500 and with the views of every job,
   * those listed and {@code jobs} (all in the database: a broken page hides the jobs on it).
   */
  public Set<String> everything(List<Long> allJobs) {
    Set<String> problems = new LinkedHashSet<>();
    Set<Long> jobs = new java.util.TreeSet<>(allJobs);
    for (int limit : List.of(1, 7, 50, 500)) {
      jobs.addAll(jobList(limit, problems));
    }
    for (long job : jobs) {
      problems.addAll(job(job));
    }
    return problems;
  }

  /** Problems with the first page of the job list and with this job's view, events and metrics. */
  public Set<String> job(long jobId) {
    Set<String> problems = new LinkedHashSet<>();
    read("/v1/jobs?limit=500", problems);
    read("/v1/jobs/" + jobId, problems);
    for (int limit : List.of(3, 500)) {
      pages(
          "/v1/jobs/" + jobId + "/events?limit=" + limit,
          "events",
          "after",
          "next_after",
          problems);
      pages(
          "/v1/jobs/" + jobId + "/metrics?limit=" + limit,
          "metrics",
          "after",
          "next_after",
          problems);
    }
    return problems;
  }

  private List<Long> jobList(int limit, Set<String> problems) {
    List<Long> ids = new ArrayList<>();
    for (JsonNode page :
        pages("/v1/jobs?limit=" + limit, "jobs", "before", "next_before", problems)) {
      page.path("jobs").forEach(job -> ids.add(job.path("job_id").asLong()));
    }
    return ids;
  }

  private List<JsonNode> pages(
      String first, String items, String cursor, String next, Set<String> problems) {
    List<JsonNode> pages = new ArrayList<>();
    String path = first;
    for (int i = 0; i < MAX_PAGES && path != null; i++) {
      JsonNode page = read(path, problems);
      if (page == null) {
        break;
      }
      if (!page.path(items).isArray()) {
        problems.add("GET " + path + ": no '" + items + "' array");
        break;
      }
      pages.add(page);
      JsonNode after = page.path(next);
      path = after.isNumber() ? first + "&" + cursor + "=" + after.asLong() : null;
    }
    return pages;
  }

  /** The parsed answer, or null with the problem recorded. */
  public JsonNode read(String path, Set<String> problems) {
    ApiReply reply;
    try {
      reply = http.send("GET", path, null);
    } catch (ApiUnreachableException e) {
      problems.add("GET " + path + ": " + e.getMessage());
      return null;
    }
    if (reply.status() != 200 || !reply.contentType().startsWith("application/json")) {
      problems.add("GET " + path + ": " + reply.status() + " " + abbreviate(reply.body()));
      return null;
    }
    try {
      return STRICT.readTree(reply.body());
    } catch (IOException e) {
      problems.add(
          "GET "
              + path
              + ": 200 but not one complete JSON document ("
              + e.getMessage().lines().findFirst().orElse("")
              + ")");
      return null;
    }
  }

  /** Equal as JSON values: numbers by value (integers exactly, others as doubles). */
  public static boolean sameJson(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b || (a == null ? b.isNull() : a.isNull());
    }
    if (a.isNumber() && b.isNumber()) {
      return a.isIntegralNumber() && b.isIntegralNumber()
          ? a.bigIntegerValue().equals(b.bigIntegerValue())
          : Double.compare(a.doubleValue(), b.doubleValue()) == 0
              || a.doubleValue() == b.doubleValue();
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> field : a.properties()) {
        if (!b.has(field.getKey()) || !sameJson(field.getValue(), b.get(field.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!sameJson(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  public static String abbreviate(String text) {
    String flat = text.replace('\n', ' ');
    return flat.length() <= 160
        ? flat
        : flat.substring(0, 160) + "...(" + text.length() + " chars)";
  }
}
