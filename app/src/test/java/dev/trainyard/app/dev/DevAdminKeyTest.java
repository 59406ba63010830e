package dev.trainyard.app.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.app.cli.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dev stack's admin key over restarts: kept while its file and its row agree (a script that
 * read it keeps working), replaced when the file is lost, and then the old one no longer works.
 */
class DevAdminKeyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;

  @Test
  void theKeyIsKeptAcrossARestartAndReplacedAndRevokedWhenItsFileIsLost() throws Exception {
    String first;
    try (DevStack one = DevStack.start(DevSettings.forTests(data))) {
      first = one.adminKey();
    }
    String again;
    try (DevStack two = DevStack.start(DevSettings.forTests(data))) {
      again = two.adminKey();
    }
    Files.delete(data.resolve(DevSettings.ADMIN_KEY_FILE));

    try (DevStack three = DevStack.start(DevSettings.forTests(data))) {
      String replaced = three.adminKey();
      ApiClient api = new ApiClient(three.apiUrl(), JSON, ApiClient.DEFAULT_TIMEOUT, replaced);

      assertThat(again).isEqualTo(first);
      assertThat(replaced).isNotEqualTo(first);
      assertThat(Files.readString(data.resolve(DevSettings.ADMIN_KEY_FILE)).strip())
          .isEqualTo(replaced);
      assertThat(api.whoami().path("name").asText()).isEqualTo("dev-admin");
      assertThat(api.withKey(first).send("GET", "/v1/whoami", null).status()).isEqualTo(401);
      assertThat(api.projects().toString()).contains("\"demo\"");
    }
  }
}
