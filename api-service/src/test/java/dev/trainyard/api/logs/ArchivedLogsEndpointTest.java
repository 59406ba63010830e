package dev.trainyard.api.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.api.TrainyardApiApplication;
import dev.trainyard.api.TrainyardApiConfiguration;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.SseClient;
import dev.trainyard.api.support.TestS3;
import dev.trainyard.api.support.TestStack;
import dev.trainyard.store.jobs.JobDao;
import dev.trainyard.store.jobs.JobRecord;
import dev.trainyard.store.objects.S3Settings;
import dev.trainyard.store.objects.TrainerLogArchive;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Trainer logs whose file or pod is gone are read from the archive the worker wrote ({@code
 * logs/job-<id>/trainer.log.gz} in the storage bucket, a real S3 server): the logs endpoint, the
 * job stream the dashboard reads, and the last-lines reader explain uses.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ArchivedLogsEndpointTest {
  static final TestStack STACK = TestStack.get();
  static final TestS3 S3 = TestS3.get();
  static final Path JOBS = LocalLogsEndpointTest.jobsDirectory();
  static final DropwizardAppExtension<TrainyardApiConfiguration> APP =
      new DropwizardAppExtension<>(
          TrainyardApiApplication.class,
          ResourceHelpers.resourceFilePath("test-api.yml"),
          "archive.",
          ConfigOverride.config("archive.", "database.url", STACK.database.jdbcUrl()),
          ConfigOverride.config("archive.", "temporal.target", STACK.temporalTarget),
          ConfigOverride.config("archive.", "callbacks.jwtSecret", TestStack.JWT_SECRET),
          ConfigOverride.config("archive.", "logs.jobsDirectory", JOBS.toString()),
          ConfigOverride.config("archive.", "storage.endpoint", S3.endpoint),
          ConfigOverride.config("archive.", "storage.bucket", TestS3.BUCKET),
          ConfigOverride.config("archive.", "storage.accessKey", TestS3.ACCESS_KEY),
          ConfigOverride.config("archive.", "storage.secretKey", TestS3.SECRET_KEY));
  static final S3Client CLIENT = settings().client();
  static final TrainerLogArchive ARCHIVE = new TrainerLogArchive(CLIENT, TestS3.BUCKET);
  static final ObjectMapper JSON = new ObjectMapper();

  static S3Settings settings() {
    S3Settings settings = new S3Settings();
    settings.setEndpoint(S3.endpoint);
    settings.setBucket(TestS3.BUCKET);
    settings.setAccessKey(TestS3.ACCESS_KEY);
    settings.setSecretKey(TestS3.SECRET_KEY);
    return settings;
  }

  @AfterAll
  static void closeClient() {
    CLIENT.close();
  }

  Http http() {
    return new Http(APP.getLocalPort());
  }

  long job(String trainerLog, String status) throws Exception {
    return LocalLogsEndpointTest.jobWithLog(APP.getLocalPort(), trainerLog, status);
  }

  static void archive(long jobId, String text) throws IOException {
    try (TrainerLogArchive.Copy copy =
        TrainerLogArchive.copy(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
      ARCHIVE.put(jobId, copy);
    }
  }

  static String numbered(int from, int to) {
    StringBuilder text = new StringBuilder();
    for (int i = from; i <= to; i++) {
      text.append("line ").append(i).append('\n');
    }
    return text.toString();
  }

  @Test
  void aDeletedLocalLogIsServedFromTheArchiveWithTokensMasked() throws Exception {
    Path folder = Files.createDirectories(JOBS.resolve("deleted"));
    Path file = Files.writeString(folder.resolve("trainer.log"), "on disk\n");
    long id = job(file.toString(), "failed");
    assertThat(http().get("/v1/jobs/" + id + "/logs").body()).isEqualTo("on disk\n");

    archive(id, numbered(1, 5) + "token eyJhbGciOiJIUzI1NiJ9.eyJqb2JfaWQiOjF9.c2lnbmF0dXJl\nlast");
    Files.delete(file);

    Http.Reply reply = http().get("/v1/jobs/" + id + "/logs?tail=3");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("line 5\ntoken [redacted token]\nlast\n");
    assertThat(http().get("/v1/jobs/" + id + "/logs?tail=3&follow=true").body())
        .as("an ended job's follow is its tail")
        .isEqualTo("line 5\ntoken [redacted token]\nlast\n");
  }

  @Test
  void aKubernetesJobsLogIsServedFromTheArchiveWithoutKubernetesAccess() throws Exception {
    long id = job("kubernetes://trainyard-training/jobs/trainyard-job-9", "succeeded");
    Http.Reply missing = http().get("/v1/jobs/" + id + "/logs");
    assertThat(missing.status()).as("neither the pod nor an archive").isEqualTo(503);
    assertThat(missing.body()).contains("no archived log");

    archive(id, numbered(1, 150));
    Http.Reply reply = http().get("/v1/jobs/" + id + "/logs");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.body().split("\n")).hasSize(100).startsWith("line 51").endsWith("line 150");
  }

  @Test
  void theJobStreamCarriesTheArchivedLogAndResumesAtItsOffset() throws Exception {
    long id = job("kubernetes://trainyard-training/jobs/trainyard-job-10", "failed");
    archive(id, numbered(1, 20));
    Duration wait = Duration.ofSeconds(10);
    String resumeAt;
    try (SseClient stream =
        SseClient.open(
            APP.getLocalPort(),
            "/v1/jobs/" + id + "/stream?logs=true&tail=2",
            STACK.adminKey,
            null)) {
      assertThat(stream.status).isEqualTo(200);
      SseClient.Frame log = stream.awaitEvent("log", wait);
      assertThat(lines(log)).containsExactly("line 19", "line 20");
      resumeAt = log.id();
      stream.awaitEvent("end", wait);
    }
    archive(id, numbered(1, 22));
    try (SseClient stream =
        SseClient.open(
            APP.getLocalPort(),
            "/v1/jobs/" + id + "/stream?logs=true&tail=2",
            STACK.adminKey,
            resumeAt)) {
      assertThat(lines(stream.awaitEvent("log", wait)))
          .as("what was archived since the client's cursor")
          .containsExactly("line 21", "line 22");
    }
  }

  @Test
  void lastLinesReadsTheFileAndElseTheArchive() throws Exception {
    Path folder = Files.createDirectories(JOBS.resolve("explained"));
    Path file = Files.writeString(folder.resolve("trainer.log"), numbered(1, 4));
    long id = job(file.toString(), "failed");
    TrainerLogLines lines = APP.getConfiguration().getLogs().lines();
    JobRecord row = STACK.jdbi.onDemand(JobDao.class).findById(id).orElseThrow();
    assertThat(lines.lastLines(row, 2)).contains(List.of("line 3", "line 4"));

    Files.delete(file);
    assertThat(lines.lastLines(row, 2)).as("gone and not archived").isEmpty();
    archive(id, numbered(1, 6));
    assertThat(lines.lastLines(row, 2)).contains(List.of("line 5", "line 6"));
  }

  private static List<String> lines(SseClient.Frame frame) throws IOException {
    List<String> lines = new ArrayList<>();
    JSON.readTree(frame.data()).get("lines").forEach(line -> lines.add(line.asText()));
    return lines;
  }
}
