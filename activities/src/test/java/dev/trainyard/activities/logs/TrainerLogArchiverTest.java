package dev.trainyard.activities.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerLogArchiverTest {
  static final ArchiveServer S3 = ArchiveServer.get();
  static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000_000L);
  final TrainerLogArchiver archiver = new TrainerLogArchiver(S3.archive, Duration.ofMillis(200), 2);
  @TempDir Path dir;

  @AfterEach
  void close() throws InterruptedException {
    archiver.close();
  }

  @Test
  void aRunningLogIsCopiedEveryIntervalAndOnceMoreAtItsEnd() throws Exception {
    long job = IDS.incrementAndGet();
    Path log = Files.writeString(dir.resolve("trainer.log"), "epoch 1\n");
    TrainerLogSource source = TrainerLogSource.file(log);
    archiver.whileRunning(job, source);
    await().atMost(Duration.ofSeconds(10)).until(() -> S3.read(job).isPresent());
    assertThat(S3.read(job)).contains("epoch 1\n");

    Files.writeString(log, "epoch 1\nepoch 2\n");
    archiver.whileRunning(job, source);
    assertThat(S3.read(job)).as("not before the interval").contains("epoch 1\n");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              archiver.whileRunning(job, source);
              return S3.read(job).orElse("").contains("epoch 2");
            });

    Files.writeString(log, "epoch 1\nepoch 2\nTraceback: killed\n");
    archiver.atEnd(job, source);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> S3.read(job).orElse("").endsWith("Traceback: killed\n"));
  }

  @Test
  void aShorterCopyNeverReplacesALongerOne() throws Exception {
    long job = IDS.incrementAndGet();
    archiver.now(job, text("line 1\nline 2\n"));
    archiver.now(job, text("line 1\n")); // a pod log cut short as its pod is deleted
    assertThat(S3.read(job)).contains("line 1\nline 2\n");
    archiver.now(job, text("line 1\nline 2\nline 3\n"));
    assertThat(S3.read(job)).contains("line 1\nline 2\nline 3\n");
  }

  @Test
  void aLogNotWrittenYetIsNoError() {
    long job = IDS.incrementAndGet();
    archiver.now(job, TrainerLogSource.file(dir.resolve("absent.log")));
    assertThat(S3.read(job)).isEmpty();
  }

  static TrainerLogSource text(String log) {
    return () -> new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8));
  }
}
