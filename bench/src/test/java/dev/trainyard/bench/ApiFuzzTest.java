package dev.trainyard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.app.cli.ApiReply;
import dev.trainyard.app.cli.ApiUnreachableException;
import dev.trainyard.bench.launcher.SimulatedLaunch;
import dev.trainyard.bench.sim.BenchJob;
import dev.trainyard.bench.stack.BenchAccess;
import dev.trainyard.bench.stack.InProcessStack;
import dev.trainyard.bench.support.DatabaseSnapshot;
import dev.trainyard.bench.support.HostileTokens;
import dev.trainyard.bench.support.JobFacts;
import dev.trainyard.bench.support.ManualTrainers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A bounded, seeded fuzz run of both APIs: malformed JSON, wrong types, huge bodies, hostile JWTs
 * and odd paths. Every answer must be below 500, every refusal a problem+json, and no refused
 * request may change a row of training_jobs, job_events or training_metrics.
 */
class ApiFuzzTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long SEED = Long.getLong("fuzz.seed", 20261127L);
  static final int ROUNDS = Integer.getInteger("fuzz.rounds", 600);
  static ManualTrainers trainers = new ManualTrainers();
  static InProcessStack stack;
  static ApiClient http;
  static long running;
  static long other;
  static long ended;

  @BeforeAll
  static void start() throws Exception {
    stack = InProcessStack.start(trainers, Duration.ofSeconds(30));
    http = BenchJob.client(stack.apiUrl(), BenchAccess.adminKey(stack.jdbi()));
    JobFacts facts = new JobFacts(stack.jdbi());
    running = BenchJob.submit(http, 600);
    other = BenchJob.submit(http, 600);
    ended = BenchJob.submit(http, 600);
    for (long job : List.of(running, other, ended)) {
      assertThat(
              trainers
                  .call(job, "heartbeat", Map.of("trace_id", trainers.traceId(job), "epoch", 0))
                  .status())
          .isEqualTo(200);
    }
    assertThat(
            trainers
                .call(
                    ended,
                    "done",
                    Map.of("trace_id", trainers.traceId(ended), "status", "succeeded"))
                .status())
        .isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                facts.status(ended).equals("succeeded")
                    && facts.status(running).equals("running")
                    && facts.status(other).equals("running"));
    Thread.sleep(1000); // let the workflows write everything they will write
  }

  @AfterAll
  static void stop() throws Exception {
    stack.close();
  }

  record Outcome(String request, int status) {}

  @Test
  void noFuzzedRequestGetsA5xxOrChangesStateWhenRefused() {
    Random random = new Random(SEED);
    Map<String, Integer> byStatus = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    List<Request> requests = new ArrayList<>(fixedHostileRequests());
    for (int i = 0; i < ROUNDS; i++) {
      requests.add(randomRequest(random));
    }
    for (Request request : requests) {
      String before = DatabaseSnapshot.take(stack.jdbi());
      ApiReply response;
      try {
        response = request.send();
      } catch (ApiUnreachableException e) {
        // the server refused a body by closing the connection: allowed, if nothing changed
        response = new ApiReply(499, e.getCause().toString(), "application/problem+json");
      }
      byStatus.merge(Integer.toString(response.status()), 1, Integer::sum);
      if (response.status() < 300) {
        awaitQuiet(); // an accepted request may set a workflow going: let it settle
      } else if (response.status() >= 500) {
        failures.add(request.name + " -> " + response.status() + " " + response.body());
      } else if (response.status() >= 400) {
        if (!response.contentType().startsWith("application/problem+json")) {
          failures.add(request.name + " -> " + response.status() + " without problem+json");
        }
        if (!DatabaseSnapshot.take(stack.jdbi()).equals(before)) {
          failures.add(request.name + " -> " + response.status() + " but the database changed");
        }
      }
    }
    System.out.println(
        "fuzz: " + requests.size() + " requests, seed " + SEED + ", statuses " + byStatus);
    assertThat(failures).isEmpty();
    assertThat(byStatus.keySet()).contains("400", "401", "403", "404", "409", "413");
  }

  private static void awaitQuiet() {
    String last = DatabaseSnapshot.take(stack.jdbi());
    while (true) {
      try {
        Thread.sleep(700);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      String now = DatabaseSnapshot.take(stack.jdbi());
      if (now.equals(last)) {
        return;
      }
      last = now;
    }
  }

  /** Every hostile token on every callback, with an otherwise valid body. */
  private List<Request> fixedHostileRequests() {
    List<Request> requests = new ArrayList<>();
    HostileTokens hostile = new HostileTokens(stack.jwtSecret);
    Map<String, String> tokens = hostile.forJob(running, launch(other).variable("CALLBACK_TOKEN"));
    for (var token : tokens.entrySet()) {
      for (String call : List.of("heartbeat", "event", "done")) {
        requests.add(
            callback(
                "token " + token.getKey() + " on " + call,
                running,
                call,
                validBody(running, call),
                token.getValue()));
      }
    }
    requests.add(
        callback("no Authorization", running, "heartbeat", validBody(running, "heartbeat"), null));
    return requests;
  }

  private Request randomRequest(Random random) {
    int kind = random.nextInt(10);
    long job =
        switch (random.nextInt(5)) {
          case 0 -> ended;
          case 1 -> other;
          case 2 -> 987_654;
          default -> running;
        };
    if (kind < 6) {
      String call = List.of("heartbeat", "event", "done").get(random.nextInt(3));
      String body = BodyMutations.mutate(random, validBody(job, call), 300 * 1024);
      String token =
          random.nextInt(8) == 0 ? launch(other).variable("CALLBACK_TOKEN") : tokenOf(job);
      if (job == other && token.equals(tokenOf(other))) {
        token = tokenOf(running); // keep "other" a running job: its own valid calls would change it
      }
      return callback(
          "fuzzed " + call + " job " + job + ": " + abbreviate(body), job, call, body, token);
    }
    if (kind < 8) {
      String body =
          BodyMutations.mutate(
              random,
              BenchJob.spec(600, Map.of("hyperparameters", Map.of("lr", 0.1))).toString(),
              1536 * 1024);
      return new Request(
          "fuzzed submit: " + abbreviate(body),
          () ->
              http.send(
                  "POST",
                  "/v1/jobs",
                  body,
                  "Idempotency-Key",
                  random.nextBoolean() ? "k".repeat(129) : "fuzz-" + random.nextInt(1_000_000)));
    }
    String path =
        List.of(
                "/v1/jobs/abc",
                "/v1/jobs/-1",
                "/v1/jobs/99999999999999999999",
                "/v1/jobs?limit=-5",
                "/v1/jobs?limit=abc",
                "/v1/jobs?status=bogus",
                "/v1/jobs?before=x",
                "/v1/jobs/" + ended + "/cancel",
                "/v1/jobs/987654/cancel",
                "/v1/jobs/" + running + "/events?after=x",
                "/v1/jobs/" + running + "/metrics?limit=100000",
                "/v1/jobs/%00",
                "/v1/jobs/1/heartbeat")
            .get(random.nextInt(13));
    String method = path.endsWith("cancel") || path.endsWith("heartbeat") ? "POST" : "GET";
    return new Request(
        method + " " + path, () -> http.send(method, path, method.equals("POST") ? "{}" : null));
  }

  private SimulatedLaunch launch(long job) {
    return trainers.awaitLaunch(job);
  }

  private String tokenOf(long job) {
    return job == 987_654 ? tokenOf(running) : launch(job).variable("CALLBACK_TOKEN");
  }

  private String validBody(long job, String call) {
    String trace = job == 987_654 ? "00000000-0000-0000-0000-000000000000" : trainers.traceId(job);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("trace_id", trace);
    switch (call) {
      case "heartbeat" -> {
        body.put("epoch", 1);
        body.put("step", 10);
        body.put("progress", 5.0);
        body.put("metrics", Map.of("loss", 0.5));
      }
      case "event" -> {
        body.put("level", "info");
        body.put("event_type", "epoch_end");
        body.put("message", "ok");
      }
      default -> {
        body.put("status", "failed");
        body.put("error", "fuzz");
      }
    }
    return JSON.valueToTree(body).toString();
  }

  private Request callback(String name, long job, String call, String body, String token) {
    return new Request(
        name,
        () ->
            token == null
                ? http.send("POST", "/v1/jobs/" + job + "/" + call, body)
                : http.send(
                    "POST",
                    "/v1/jobs/" + job + "/" + call,
                    body,
                    "Authorization",
                    "Bearer " + token));
  }

  private static String abbreviate(String text) {
    return text.length() <= 120
        ? text
        : text.substring(0, 120) + "...(" + text.length() + " chars)";
  }

  private record Request(String name, java.util.function.Supplier<ApiReply> call) {
    ApiReply send() {
      return call.get();
    }
  }
}
