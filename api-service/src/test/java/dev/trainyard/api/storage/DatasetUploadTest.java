package dev.trainyard.api.storage;

import static dev.trainyard.api.support.HostileZips.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.TrainyardApiApplication;
import dev.trainyard.api.TrainyardApiConfiguration;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.HostileZips;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.TestS3;
import dev.trainyard.api.support.TestStack;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * POST /v1/projects/{project}/datasets against a real S3 server: a hostile archive is refused at
 * upload with the entry and the reason (422 problem+json), and nothing reaches the bucket, instead
 * of being stored and failing a training job when the trainer unpacks it.
 */
class DatasetUploadTest extends ApiTest {
  private static final TestS3 S3 = TestS3.get();
  private static final long MAX_UNPACKED = 16L * 1024 * 1024;
  private static final AtomicInteger IDS = new AtomicInteger();

  private static final DropwizardAppExtension<TrainyardApiConfiguration> STORED =
      new DropwizardAppExtension<>(
          TrainyardApiApplication.class,
          ResourceHelpers.resourceFilePath("test-api.yml"),
          "s3.",
          ConfigOverride.config("s3.", "database.url", STACK.database.jdbcUrl()),
          ConfigOverride.config("s3.", "temporal.target", STACK.temporalTarget),
          ConfigOverride.config("s3.", "callbacks.jwtSecret", TestStack.JWT_SECRET),
          ConfigOverride.config("s3.", "storage.endpoint", S3.endpoint),
          ConfigOverride.config("s3.", "storage.bucket", TestS3.BUCKET),
          ConfigOverride.config("s3.", "storage.accessKey", TestS3.ACCESS_KEY),
          ConfigOverride.config("s3.", "storage.secretKey", TestS3.SECRET_KEY),
          ConfigOverride.config("s3.", "storage.maxUnpackedBytes", String.valueOf(MAX_UNPACKED)));

  private static String newId() {
    return "ds-" + IDS.incrementAndGet() + "-" + System.nanoTime();
  }

  private static Http.Reply upload(String id, byte[] zip, boolean overwrite) {
    return new Http(STORED.getLocalPort())
        .postChunked(
            "/v1/projects/proj-1/datasets?dataset_id=" + id + (overwrite ? "&overwrite=true" : ""),
            zip,
            "Content-Type",
            "application/zip");
  }

  /** The refusal names the entry and the reason, and the bucket has no object for the id. */
  private static void assertRefused(String id, byte[] zip, String entry, String reason) {
    JsonNode problem = assertProblem(upload(id, zip, false), 422);
    assertThat(problem.get("detail").asText()).contains("'" + entry + "'").contains(reason);
    assertThat(S3.keys()).doesNotContain(ObjectStorage.datasetKey("proj-1", id));
  }

  @Test
  void aValidDatasetIsStored() {
    String id = newId();
    Http.Reply reply = upload(id, HostileZips.datasetWith(Map.of()), false);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    assertThat(reply.json().get("images").asInt()).isEqualTo(2);
    assertThat(S3.keys()).contains(ObjectStorage.datasetKey("proj-1", id));
  }

  @Test
  void aSymlinkEntryIsRefused() {
    String entry = "images/train/link.jpg";
    byte[] zip = HostileZips.datasetWith(Map.of(entry, bytes("/etc/passwd")));
    HostileZips.withUnixMode(zip, entry, 0120777);
    assertRefused(newId(), zip, entry, "symbolic link");
  }

  /** Fifo, character device, block device, socket: anything but a file or a folder. */
  @ParameterizedTest
  @ValueSource(ints = {0010644, 0020644, 0060644, 0140644})
  void anEntryThatIsNotAFileOrFolderIsRefused(int mode) {
    String entry = "images/train/odd.jpg";
    byte[] zip = HostileZips.datasetWith(Map.of(entry, bytes("x")));
    HostileZips.withUnixMode(zip, entry, mode);
    assertRefused(newId(), zip, entry, "not a regular file");
  }

  /** The reproduction: 1 KiB declared, 1.1 GiB when inflated (about 1 MiB uploaded). */
  @Test
  void anEntryThatInflatesBeyondItsDeclaredSizeIsRefused() {
    String entry = "images/train/bomb.jpg";
    byte[] zip = HostileZips.zipOfZeros(Map.of(entry, 1100L * 1024 * 1024));
    HostileZips.withDeclaredSize(zip, entry, 1024);
    assertRefused(newId(), zip, entry, "declares 1024 bytes");
  }

  @Test
  void anEntryShorterThanItsDeclaredSizeIsRefused() {
    String entry = "images/train/short.jpg";
    byte[] zip = HostileZips.datasetWith(Map.of(entry, new byte[100]));
    HostileZips.withDeclaredSize(zip, entry, 1000);
    assertRefused(newId(), zip, entry, "declares 1000 bytes");
  }

  @Test
  void anEntryWhoseCrcDoesNotMatchIsRefused() {
    String entry = "images/train/a.jpg";
    byte[] zip = HostileZips.withWrongCrc(HostileZips.datasetWith(Map.of()), entry);
    assertRefused(newId(), zip, entry, "CRC");
  }

  /** Honest sizes whose total is over storage.maxUnpackedBytes: refused from the directory. */
  @Test
  void anArchiveThatUnpacksAboveTheLimitIsRefused() {
    byte[] zip =
        HostileZips.zipOfZeros(
            Map.of("images/train/x.bin", MAX_UNPACKED / 2, "images/train/y.bin", MAX_UNPACKED));
    JsonNode problem = assertProblem(upload(newId(), zip, false), 422);
    assertThat(problem.get("detail").asText()).contains("more than " + MAX_UNPACKED + " bytes");
  }

  /** Entries that each lie a little, so the declared total stays under the limit. */
  @Test
  void aBombOfLyingEntriesIsRefusedAtTheFirstLie() {
    byte[] zip =
        HostileZips.zipOfZeros(
            Map.of("images/train/1.bin", MAX_UNPACKED, "images/train/2.bin", MAX_UNPACKED));
    HostileZips.withDeclaredSize(zip, "images/train/1.bin", 10);
    HostileZips.withDeclaredSize(zip, "images/train/2.bin", 10);
    JsonNode problem = assertProblem(upload(newId(), zip, false), 422);
    assertThat(problem.get("detail").asText()).contains("declares 10 bytes");
  }

  @ParameterizedTest
  @CsvSource({
    "../escape.jpg, points outside the dataset",
    "/etc/escape.jpg, points outside the dataset",
    "images/../../escape.jpg, points outside the dataset",
    "C:/escape.jpg, points outside the dataset",
    "images\\..\\..\\escape.jpg, points outside the dataset",
  })
  void pathTricksAreRefused(String entry, String reason) {
    assertRefused(newId(), HostileZips.datasetWith(Map.of(entry, bytes("x"))), entry, reason);
  }

  /** Python unpacks both to the same file; which one the trainer sees is not what was checked. */
  @Test
  void aPathThatAppearsTwiceIsRefused() {
    String entry = "images/train//a.jpg";
    assertRefused(
        newId(), HostileZips.datasetWith(Map.of(entry, bytes("x"))), entry, "more than once");
  }

  @Test
  void anEntryInsideAFileIsRefused() {
    String entry = "images/train/a.jpg/b.jpg";
    assertRefused(
        newId(),
        HostileZips.datasetWith(Map.of(entry, bytes("x"))),
        entry,
        "inside 'images/train/a.jpg', which is a file");
  }

  /** Python's zipfile refuses a local header whose name is not the directory's. */
  @Test
  void aLocalHeaderThatDisagreesWithTheDirectoryIsRefused() {
    String entry = "images/train/a.jpg";
    byte[] zip =
        HostileZips.withLocalName(HostileZips.datasetWith(Map.of()), entry, "images/train/../a");
    assertRefused(newId(), zip, entry, "local header");
  }

  /** Directory records sharing one entry's data: each honest, together a bomb. */
  @Test
  void overlappingEntriesAreRefused() {
    String entry = "images/train/c.jpg";
    byte[] zip = HostileZips.datasetWith(Map.of(entry, bytes("x")));
    HostileZips.pointingAt(zip, entry, "images/train/a.jpg");
    JsonNode problem = assertProblem(upload(newId(), zip, false), 422);
    assertThat(problem.get("detail").asText()).contains("overlaps");
  }

  /**
   * A refused upload with overwrite=true leaves the dataset already stored under the id as it was.
   */
  @Test
  void aRefusedOverwriteKeepsTheStoredDataset() {
    String id = newId();
    byte[] good = HostileZips.datasetWith(Map.of());
    assertThat(upload(id, good, false).status()).isEqualTo(201);
    String entry = "images/train/link.jpg";
    byte[] zip = HostileZips.datasetWith(Map.of(entry, bytes("/etc/passwd")));
    HostileZips.withUnixMode(zip, entry, 0120777);
    assertProblem(upload(id, zip, true), 422);
    assertThat(S3.size(ObjectStorage.datasetKey("proj-1", id))).isEqualTo(good.length);
  }
}
