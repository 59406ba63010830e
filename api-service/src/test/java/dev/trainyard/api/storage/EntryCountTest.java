package dev.trainyard.api.storage;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.api.errors.ApiException;
import dev.trainyard.api.support.HostileZips;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entry limit is enforced by walking the directory's records before any becomes an object (a
 * directory of millions of tiny records would otherwise exhaust the API's memory first).
 */
class EntryCountTest {
  @TempDir Path folder;

  private Path zipOf(int entries, byte[] prefix) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i < entries; i++) {
      files.put("f" + i, new byte[0]);
    }
    Path zip = folder.resolve(entries + ".zip");
    byte[] bytes = HostileZips.zip(files);
    byte[] all = new byte[prefix.length + bytes.length];
    System.arraycopy(prefix, 0, all, 0, prefix.length);
    System.arraycopy(bytes, 0, all, prefix.length, bytes.length);
    return Files.write(zip, all);
  }

  @Test
  void upToTheLimitIsAccepted() throws IOException {
    Path zip = zipOf(10, new byte[0]);
    assertThatCode(() -> EntryCount.check(zip, 10)).doesNotThrowAnyException();
  }

  @Test
  void pastTheLimitIsRefusedBeforeTheDirectoryIsRead() throws IOException {
    Path zip = zipOf(11, new byte[0]);
    assertThatThrownBy(() -> EntryCount.check(zip, 10))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("more than 10 entries");
  }

  /** Prepended data would move where Commons Compress starts reading records from. */
  @Test
  void dataBeforeTheFirstEntryIsRefused() throws IOException {
    Path zip = zipOf(2, new byte[100]);
    assertThatThrownBy(() -> EntryCount.check(zip, 10))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("central directory is not where its end record says");
  }
}
