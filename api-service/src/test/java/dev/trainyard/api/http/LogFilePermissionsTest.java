package dev.trainyard.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.spi.AppenderAttachable;
import io.dropwizard.logging.common.FileAppenderFactory;
import io.dropwizard.logging.common.async.AsyncLoggingEventAppenderFactory;
import io.dropwizard.logging.common.filter.ThresholdLevelFilterFactory;
import io.dropwizard.logging.common.layout.DropwizardLayoutFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files of Dropwizard's own file appender, built as the API's logging builds it: narrowed to 0640
 * once protected, and every file a rollover starts is created 0640 (the umask here is 022, which
 * would make them 0644).
 */
class LogFilePermissionsTest {
  @TempDir Path dir;
  private final LoggerContext context = new LoggerContext();

  {
    context.setMDCAdapter(new LogbackMDCAdapter()); // the async appender copies the MDC
  }

  @AfterEach
  void stop() {
    context.stop();
  }

  private Logger loggerWith(FileAppenderFactory<ILoggingEvent> file) {
    Appender<ILoggingEvent> appender =
        file.build(
            context,
            "test",
            new DropwizardLayoutFactory(),
            new ThresholdLevelFilterFactory(),
            new AsyncLoggingEventAppenderFactory());
    Logger logger = context.getLogger("test");
    logger.addAppender(appender);
    return logger;
  }

  private static String mode(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  void theCurrentFileIsNarrowedAndEachRolloverStartsA0640File() throws Exception {
    FileAppenderFactory<ILoggingEvent> file = new FileAppenderFactory<>();
    Path current = dir.resolve("api.log");
    file.setCurrentLogFilename(current.toString());
    file.setArchivedLogFilenamePattern(dir.resolve("api-%i.log").toString());
    file.setArchivedFileCount(3);
    file.setMaxFileSize(io.dropwizard.util.DataSize.kibibytes(1));
    Logger logger = loggerWith(file);
    logger.info("before");
    // the async appender writes on its own thread
    Awaitility.await().until(() -> Files.readString(current).contains("before"));
    assertThat(mode(current)).as("logback's own mode, under umask 022").isEqualTo("rw-r--r--");

    LogFilePermissions.protectAll(logger);
    assertThat(mode(current)).isEqualTo("rw-r-----");

    RollingFileAppender<ILoggingEvent> rolling = rolling(logger);
    assertThat(rolling.getRollingPolicy()).isInstanceOf(PrivateRollover.class);
    LogFilePermissions.protectAll(logger); // twice is once
    assertThat(rolling.getRollingPolicy()).isInstanceOf(PrivateRollover.class);

    rolling.rollover();
    logger.info("after");
    Awaitility.await().until(() -> Files.readString(current).contains("after"));
    assertThat(Files.readString(dir.resolve("api-1.log"))).contains("before");
    assertThat(mode(current)).isEqualTo("rw-r-----");
    assertThat(mode(dir.resolve("api-1.log"))).as("renamed archive").isEqualTo("rw-r-----");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).hasSize(2);
    }
  }

  @Test
  void aTimeBasedAppenderStillRollsThroughItsOwnPolicy() throws Exception {
    FileAppenderFactory<ILoggingEvent> file = new FileAppenderFactory<>();
    Path current = dir.resolve("api.log");
    file.setCurrentLogFilename(current.toString());
    // a new file each second
    file.setArchivedLogFilenamePattern(dir.resolve("api-%d{yyyy-MM-dd-HH-mm-ss}.log").toString());
    Logger logger = loggerWith(file);
    logger.info("before");
    // the async appender writes on its own thread
    Awaitility.await().until(() -> Files.readString(current).contains("before"));
    LogFilePermissions.protectAll(logger);
    RollingFileAppender<ILoggingEvent> rolling = rolling(logger);
    assertThat(rolling.getRollingPolicy()).isInstanceOf(PrivateRollover.class);
    assertThat(rolling.getTriggeringPolicy()).isNotNull().isNotInstanceOf(PrivateRollover.class);

    Thread.sleep(1_100);
    logger.info("after");
    Awaitility.await()
        .until(() -> Files.exists(current) && Files.readString(current).contains("after"));
    assertThat(Files.readString(current)).doesNotContain("before");
    assertThat(mode(current)).isEqualTo("rw-r-----");
    // On a loaded machine the two lines can land two seconds apart, so a second roll may happen:
    // what matters is that every file, each archive included, stays private.
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.toList();
      assertThat(all).hasSizeGreaterThanOrEqualTo(2);
      for (Path each : all) {
        assertThat(mode(each)).as(each.getFileName().toString()).isEqualTo("rw-r-----");
      }
      assertThat(all)
          .filteredOn(each -> !each.equals(current))
          .anySatisfy(archive -> assertThat(Files.readString(archive)).contains("before"));
    }
  }

  @Test
  void aMissingFileIsCreatedPrivateAndAnExistingOneNarrowed() throws Exception {
    Path created = dir.resolve("new.log");
    LogFilePermissions.createPrivate(created);
    assertThat(mode(created)).isEqualTo("rw-r-----");

    Path open = Files.createFile(dir.resolve("open.log"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    LogFilePermissions.narrow(open);
    assertThat(mode(open)).isEqualTo("rw-r-----");

    Path strict = Files.createFile(dir.resolve("strict.log"));
    Files.setPosixFilePermissions(strict, PosixFilePermissions.fromString("rw-------"));
    LogFilePermissions.narrow(strict);
    assertThat(mode(strict)).as("never widened").isEqualTo("rw-------");
  }

  @SuppressWarnings("unchecked")
  private static RollingFileAppender<ILoggingEvent> rolling(
      AppenderAttachable<ILoggingEvent> owner) {
    for (Iterator<Appender<ILoggingEvent>> it = owner.iteratorForAppenders(); it.hasNext(); ) {
      Appender<ILoggingEvent> appender = it.next();
      if (appender instanceof RollingFileAppender<ILoggingEvent> rolling) {
        return rolling;
      }
      if (appender instanceof AppenderAttachable<?> nested) {
        return rolling((AppenderAttachable<ILoggingEvent>) nested);
      }
    }
    throw new AssertionError("no rolling file appender");
  }
}
