package dev.trainyard.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold a secret (an API key, the callback-token key, a database password): created
 * readable by their owner only, in folders only their owner can enter, and replaced atomically, so
 * no other user can read them even for an instant and a crash never leaves half a file. On a file
 * system without POSIX permissions (Windows) the files are plain ones.
 */
public final class PrivateFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  private PrivateFiles() {}

  /**
   * Writes {@code content} to {@code file} (replacing it), mode 600. The text goes to a fresh
   * owner-only file beside it first and is then moved over the old one: the new file never has a
   * moment with wider permissions, whatever the umask or the old file's mode.
   */
  public static void write(Path file, String content) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path directory = absolute.getParent();
    Files.createDirectories(directory);
    Path partial =
        posix(directory)
            ? Files.createTempFile(
                directory, "." + absolute.getFileName(), ".tmp", attribute(OWNER_ONLY_FILE))
            : Files.createTempFile(directory, "." + absolute.getFileName(), ".tmp");
    try {
      Files.writeString(partial, content, StandardCharsets.UTF_8);
      Files.move(
          partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /**
   * Creates {@code directory} and any missing parents, each one it creates mode 700 (folders that
   * already exist keep their mode: they may be the user's home or a shared config folder).
   */
  public static void createDirectories(Path directory) throws IOException {
    Path absolute = directory.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return;
    }
    Path parent = absolute.getParent();
    if (parent != null) {
      createDirectories(parent);
    }
    try {
      if (posix(parent)) {
        Files.createDirectory(absolute, attribute(OWNER_ONLY_DIRECTORY));
      } else {
        Files.createDirectory(absolute);
      }
    } catch (FileAlreadyExistsException raced) {
      if (!Files.isDirectory(absolute)) {
        throw raced;
      }
    }
  }

  /**
   * Whether group and others have no access to {@code file}; true where permissions are not POSIX
   * (nothing to check there).
   */
  public static boolean ownerOnly(Path file) throws IOException {
    if (!posix(file)) {
      return true;
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    return permissions.stream().allMatch(p -> p.name().startsWith("OWNER_"));
  }

  /** The mode as {@code ls -l} shows it (e.g. {@code rw-r--r--}), for messages. */
  public static String mode(Path file) throws IOException {
    return posix(file) ? PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) : "";
  }

  private static boolean posix(Path path) {
    return path != null && path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(
      Set<PosixFilePermission> permissions) {
    return PosixFilePermissions.asFileAttribute(permissions);
  }
}
