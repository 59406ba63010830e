package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.RawHttp;
import dev.trainyard.api.support.RecordingWorkflow;
import dev.trainyard.api.support.TestStack;
import dev.trainyard.api.support.Tokens;
import dev.trainyard.workflows.TaskQueues;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.eclipse.jetty.server.NetworkConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped layout: the user routes on one application connector, the trainer callbacks on
 * another ({@code callbacks.port}), each refusing the other's routes with 404 before anything runs;
 * the admin port on 127.0.0.1 with its tasks off; Jetty asked for DEBUG yet writing no token; log
 * files 0640.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CallbackPortTest {
  private static final TestStack STACK = TestStack.get();
  private static final int CALLBACK_PORT = TestStack.freePort();
  private static final Path LOGS = temporaryDirectory();

  static final DropwizardAppExtension<TrainyardApiConfiguration> APP =
      new DropwizardAppExtension<>(
          TrainyardApiApplication.class,
          ResourceHelpers.resourceFilePath("callback-port-api.yml"),
          ConfigOverride.config("database.url", STACK.database.jdbcUrl()),
          ConfigOverride.config("temporal.target", STACK.temporalTarget),
          ConfigOverride.config("callbacks.jwtSecret", TestStack.JWT_SECRET),
          ConfigOverride.config("callbacks.port", Integer.toString(CALLBACK_PORT)),
          ConfigOverride.config(
              "server.applicationConnectors[1].port", Integer.toString(CALLBACK_PORT)),
          ConfigOverride.config(
              "server.requestLog.appenders[0].currentLogFilename",
              LOGS.resolve("requests.log").toString()),
          ConfigOverride.config(
              "logging.appenders[1].currentLogFilename", LOGS.resolve("api.log").toString()));

  private static Http users() {
    return new Http(userPort());
  }

  private static Http trainers() {
    return new Http(CALLBACK_PORT);
  }

  /** The user connector's port: the application connector that is not the callback one. */
  private static int userPort() {
    return java.util.Arrays.stream(
            APP.getEnvironment().getApplicationContext().getServer().getConnectors())
        .map(NetworkConnector.class::cast)
        .filter(c -> c.getPort() != CALLBACK_PORT && c.getName().equals("application"))
        .findFirst()
        .orElseThrow()
        .getLocalPort();
  }

  private static JsonNode submit() {
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("framework", "ultralytics");
    job.put("model_name", "yolov8n.pt");
    job.put("dataset_id", "coco128");
    job.put("epochs", 3);
    job.put("batch_size", 16);
    job.put("learning_rate", 0.01);
    job.put("project_id", "proj-1");
    Http.Reply reply = users().post("/v1/jobs", Http.json(job));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    JsonNode submitted = reply.json();
    long jobId = submitted.get("job_id").asLong();
    Awaitility.await()
        .until(() -> RecordingWorkflow.STARTED.containsKey(TaskQueues.workflowId(jobId)));
    return submitted;
  }

  private static String heartbeat(JsonNode job) {
    return Http.json(
        Map.of(
            "trace_id",
            job.get("trace_id").asText(),
            "epoch",
            1,
            "total_epochs",
            3,
            "progress",
            10.0,
            "metrics",
            Map.of("loss", 0.5)));
  }

  private static String bearer(long jobId) {
    return Tokens.bearer(Tokens.valid(jobId));
  }

  private static String row(long jobId) {
    return STACK.jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT to_jsonb(t)::text || (SELECT count(*) FROM training_metrics m"
                        + " WHERE m.job_id = t.id) || (SELECT count(*) FROM job_events e"
                        + " WHERE e.job_id = t.id) FROM training_jobs t WHERE id = :id")
                .bind("id", jobId)
                .mapTo(String.class)
                .one());
  }

  private static long jobCount() {
    return STACK.jdbi.withHandle(
        h -> h.select("SELECT count(*) FROM training_jobs").mapTo(Long.class).one());
  }

  private static void assertRefused(Http.Reply reply, String detail) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(404);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.json().get("detail").asText()).contains(detail);
  }

  private static final String ONLY_CALLBACKS = "serves only the trainer callbacks";
  private static final String NO_CALLBACKS = "served on the callback port";

  @Test
  void trainersCallBackOnTheCallbackPortThroughJerseyAndTheFastPath() {
    JsonNode job = submit();
    long jobId = job.get("job_id").asLong();
    String token = bearer(jobId); // one token throughout: the fast path remembers it
    for (int i = 0; i < 3; i++) { // the first through Jersey, then the fast path (token known)
      Http.Reply reply =
          trainers()
              .post(
                  "/v1/jobs/" + jobId + "/heartbeat",
                  heartbeat(job),
                  "Authorization",
                  bearer(jobId));
      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("trace_id", job.get("trace_id").asText());
    event.put("level", "info");
    event.put("event_type", "checkpoint_saved");
    event.put("message", "saved");
    Http.Reply reply =
        trainers().post("/v1/jobs/" + jobId + "/event", Http.json(event), "Authorization", token);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    // the callback port's own refusals still come from the callback API
    assertThat(
            trainers()
                .post(
                    "/v1/jobs/" + jobId + "/heartbeat", heartbeat(job), "Authorization", "Bearer x")
                .status())
        .isEqualTo(401);
    assertThat(users().get("/v1/jobs/" + jobId + "/metrics").json().get("metrics")).hasSize(3);
    // the token is now remembered, so the heartbeat fast path would take it: the split answers
    // ahead of it on the user port
    assertRefused(
        users().post("/v1/jobs/" + jobId + "/heartbeat", heartbeat(job), "Authorization", token),
        NO_CALLBACKS);
    assertThat(users().get("/v1/jobs/" + jobId + "/metrics").json().get("metrics")).hasSize(3);
  }

  /** Every {@link Http} call carries the test stack's global admin key: it opens nothing here. */
  @Test
  void theCallbackPortServesNoUserRoute() {
    JsonNode job = submit();
    long jobId = job.get("job_id").asLong();
    String before = row(jobId);
    long jobs = jobCount();

    assertRefused(trainers().get("/v1/jobs"), ONLY_CALLBACKS);
    assertRefused(trainers().get("/"), ONLY_CALLBACKS); // the dashboard, on the user port only
    assertRefused(trainers().get("/assets/js/main.js"), ONLY_CALLBACKS);
    assertRefused(trainers().get("/v1/jobs/" + jobId), ONLY_CALLBACKS);
    assertRefused(trainers().get("/v1/jobs/" + jobId + "/logs"), ONLY_CALLBACKS);
    assertRefused(
        trainers().post("/v1/jobs/" + jobId + "/cancel", "", "Authorization", bearer(jobId)),
        ONLY_CALLBACKS);
    assertRefused(
        trainers().post("/v1/jobs", Http.json(Map.of("framework", "ultralytics"))), ONLY_CALLBACKS);
    assertRefused(trainers().get("/healthcheck"), ONLY_CALLBACKS);
    assertRefused(trainers().get("/v1/jobs/" + jobId + "/heartbeat"), ONLY_CALLBACKS);
    // spellings that Jersey would decode into a route are not the exact callback path either
    RawHttp raw = new RawHttp(CALLBACK_PORT);
    for (String path :
        new String[] {
          "/v1/jobs/" + jobId + "/heart%62eat",
          "/v1/jobs/0" + jobId + "/heartbeat",
          "/v1/jobs/" + jobId + "/heartbeat/",
          "/v1/jobs/" + jobId + "/heartbeat;x=1",
          "/v1/%6aobs/" + jobId + "/cancel",
          "/v1/jobs/" + jobId + "/cancel?/heartbeat",
          "/v1/jobs/" + jobId + "/heartbeat/../cancel",
        }) {
      Http.Reply reply =
          raw.send(
              "POST "
                  + path
                  + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  + "Authorization: "
                  + bearer(jobId)
                  + "\r\nContent-Length: 2\r\n",
              "{}");
      assertThat(reply.status()).as(path + " -> " + reply).isIn(400, 404);
    }

    assertThat(row(jobId)).isEqualTo(before);
    assertThat(jobCount()).isEqualTo(jobs);
    assertThat(RecordingWorkflow.signals(TaskQueues.workflowId(jobId))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v1/jobs/%d/heartbeat",
        "/v1/jobs/%d/event",
        "/v1/jobs/%d/done",
        "/v1/jobs/%d/heart%%62eat",
        "/v1/jobs/%d/HEARTBEAT",
        "/v1/jobs/%d/heartbeat/",
        "/v1/jobs/%d/done;x=1",
        "/v1//jobs/%d//done",
      })
  void theUserPortServesNoCallbackRoute(String template) {
    JsonNode job = submit();
    long jobId = job.get("job_id").asLong();
    String before = row(jobId);
    String path = String.format(template, jobId);
    Http.Reply reply =
        new RawHttp(userPort())
            .send(
                "POST "
                    + path
                    + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Authorization: "
                    + bearer(jobId)
                    + "\r\nContent-Length: "
                    + heartbeat(job).length()
                    + "\r\n",
                heartbeat(job));
    if (path.contains("//")) {
      assertThat(reply.status()).as(path + " -> " + reply).isEqualTo(400); // Jetty: ambiguous
    } else {
      assertRefused(reply, NO_CALLBACKS);
    }
    assertThat(row(jobId)).isEqualTo(before);
    assertThat(RecordingWorkflow.signals(TaskQueues.workflowId(jobId))).isEmpty();
  }

  @Test
  void userRoutesStillWorkOnTheUserPort() {
    JsonNode job = submit();
    long jobId = job.get("job_id").asLong();
    assertThat(users().get("/v1/jobs/" + jobId).status()).isEqualTo(200);
    assertThat(users().get("/v1/jobs/" + jobId + "/events").status()).isEqualTo(200);
    assertThat(users().get("/v1/jobs?limit=1").status()).isEqualTo(200);
  }

  @Test
  void theAdminPortListensOnLoopbackOnlyAndItsTasksAreOff() throws IOException {
    NetworkConnector admin =
        java.util.Arrays.stream(
                APP.getEnvironment().getApplicationContext().getServer().getConnectors())
            .map(NetworkConnector.class::cast)
            .filter(c -> c.getName().equals("admin"))
            .findFirst()
            .orElseThrow();
    assertThat(admin.getHost()).isEqualTo("127.0.0.1");
    Http adminHttp = new Http(APP.getAdminPort());
    assertThat(adminHttp.get("/healthcheck").status()).isEqualTo(200);
    Http.Reply logLevel =
        adminHttp.post(
            "/tasks/log-level?logger=dev.trainyard&level=DEBUG",
            "",
            "Content-Type",
            "application/x-www-form-urlencoded");
    assertRefused(logLevel, "admin tasks are turned off");
    assertRefused(adminHttp.post("/tasks/gc", ""), "admin tasks are turned off");
    assertRefused(adminHttp.get("/tasks"), "admin tasks are turned off");
    assertThat(
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.trainyard"))
                .getLevel())
        .isEqualTo(ch.qos.logback.classic.Level.INFO);

    // another interface of this machine, if it has one, is refused
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (!address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
          assertThat(connects(address, APP.getAdminPort())).as(address.toString()).isFalse();
        }
      }
    }
  }

  @Test
  void jettyAskedForDebugWritesNoTokenAndTheLogFilesAreNotWorldReadable() throws IOException {
    JsonNode job = submit();
    long jobId = job.get("job_id").asLong();
    String token = Tokens.valid(jobId);
    trainers()
        .post(
            "/v1/jobs/" + jobId + "/heartbeat",
            heartbeat(job),
            "Authorization",
            Tokens.bearer(token));
    new RawHttp(userPort())
        .send(
            "GET /v1/jobs/"
                + jobId
                + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                + Tokens.bearer(token)
                + "\r\n",
            "");
    Supplier<String> logs =
        () -> {
          try {
            return Files.readString(LOGS.resolve("api.log"), StandardCharsets.UTF_8)
                + Files.readString(LOGS.resolve("requests.log"), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    Awaitility.await().until(() -> logs.get().contains("/v1/jobs/" + jobId + "/heartbeat"));
    assertThat(logs.get()).doesNotContain(token).doesNotContain(token.substring(0, 20));
    // nor the API key every user call above carried
    assertThat(logs.get()).doesNotContain(STACK.adminKey);
    // Jetty's INFO lines pass; from the start of the server on, none below INFO does, though the
    // configuration asks for DEBUG (before it, while the application is built, no request is read)
    String served = logs.get().substring(logs.get().indexOf("Started oejs.Server"));
    assertThat(served)
        .doesNotContainPattern("(?m)^(DEBUG|TRACE) +(org\\.eclipse\\.jetty|io\\.fabric8)");

    for (String file : new String[] {"api.log", "requests.log"}) {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(LOGS.resolve(file));
      assertThat(mode)
          .as(file)
          .doesNotContain(
              PosixFilePermission.OTHERS_READ,
              PosixFilePermission.OTHERS_WRITE,
              PosixFilePermission.GROUP_WRITE);
    }
  }

  private static boolean connects(InetAddress address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new java.net.InetSocketAddress(address, port), 1000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("trainyard-callback-port-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
