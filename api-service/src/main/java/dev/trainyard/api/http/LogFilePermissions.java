package dev.trainyard.api.http;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.spi.AppenderAttachable;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * Log files are readable by their owner and group only (0640, or narrower under a stricter umask):
 * a line may name a job, a key id or a path that is nobody else's business on a shared machine.
 * Logback creates files with the process umask, commonly 0644, and has no setting for their mode,
 * and Java cannot change the umask. So every file appender's current file is narrowed once it is
 * open, and each rollover creates the next active file 0640 before logback opens it ({@link
 * PrivateRollover}); logback then appends to it and keeps the mode. Renamed archives keep their
 * mode; compressed ones are written by logback with the umask, which is why the documentation asks
 * for a log directory closed to others (docs/security.md).
 */
public final class LogFilePermissions {
  static final Set<PosixFilePermission> AT_MOST =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.GROUP_READ);

  private LogFilePermissions() {}

  /** Every file appender of the application's loggers (those Dropwizard's logging configured). */
  public static void protectApplicationLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLoggerList().forEach(LogFilePermissions::protectAll);
    }
  }

  /**
   * Every file appender attached to {@code owner}, looking inside wrappers (the async appender
   * Dropwizard puts around each one, a request log).
   */
  public static <E> void protectAll(AppenderAttachable<E> owner) {
    for (Iterator<Appender<E>> it = owner.iteratorForAppenders(); it.hasNext(); ) {
      Appender<E> appender = it.next();
      if (appender instanceof FileAppender<E> file) {
        protect(file);
      }
      if (appender instanceof AppenderAttachable<?> nested) {
        protectAll(nested);
      }
    }
  }

  static void protect(FileAppender<?> appender) {
    if (appender.getFile() != null) {
      narrow(Path.of(appender.getFile()));
    }
    if (appender instanceof RollingFileAppender<?> rolling
        && rolling.getRollingPolicy() != null
        && !(rolling.getRollingPolicy() instanceof PrivateRollover)) {
      rolling.setRollingPolicy(new PrivateRollover(rolling.getRollingPolicy()));
    }
  }

  /** Creates {@code file} 0640 if it is missing. */
  static void createPrivate(Path file) {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(AT_MOST));
    } catch (FileAlreadyExistsException exists) {
      try {
        narrow(file);
      } catch (IllegalStateException notOurs) {
        // mid-rollover there is no one to tell; the next start refuses such a file
      }
    } catch (UnsupportedOperationException notPosix) {
      // a file system without POSIX modes (Windows): its ACLs decide
    } catch (IOException e) {
      // logback creates it on open and reports a failure itself; narrowed on the next start
    }
  }

  /** Drops every permission beyond owner read/write and group read from an existing file. */
  static void narrow(Path file) {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view == null || !Files.exists(file)) {
      return;
    }
    try {
      Set<PosixFilePermission> mode = view.readAttributes().permissions();
      if (!AT_MOST.containsAll(mode)) {
        mode.retainAll(AT_MOST);
        view.setPermissions(mode);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot make the log file " + file + " private (mode 0640): " + e.getMessage(), e);
    }
  }
}
