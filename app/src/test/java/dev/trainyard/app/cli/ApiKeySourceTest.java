package dev.trainyard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.app.ExitCodes;
import dev.trainyard.app.PrivateFiles;
import dev.trainyard.app.dev.DevSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the CLI finds its key, in which order, and how the login file is kept. */
class ApiKeySourceTest {
  private static final String LOCAL = "http://127.0.0.1:8080";
  private static final String ENV_KEY = key('e');
  private static final String STORED_KEY = key('s');
  private static final String DEV_KEY = key('d');

  @TempDir Path home;
  @TempDir Path work;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void environment() {
    env.put("HOME", home.toString());
    env.put(DevSettings.DATA_DIR_ENV, work.resolve("data").toString());
  }

  @Test
  void theEnvironmentWinsThenTheLoginFileThenTheDevStacksKey() throws Exception {
    writeDevKey(work.resolve("data"));
    assertThat(find(LOCAL).key()).isEqualTo(DEV_KEY);
    assertThat(find(LOCAL).origin()).contains("admin-api-key").contains("dev stack");

    CredentialsFile.forUser(env).store(LOCAL, STORED_KEY, "sssssssssss2");
    assertThat(find(LOCAL).key()).isEqualTo(STORED_KEY);
    assertThat(find(LOCAL).origin())
        .isEqualTo(home.resolve(".config/trainyard/credentials.json").toString());

    env.put(ApiKeySource.ENV, "  " + ENV_KEY + "\n");
    assertThat(find(LOCAL).key()).isEqualTo(ENV_KEY);
    assertThat(find(LOCAL).origin()).isEqualTo(ApiKeySource.ENV);
  }

  @Test
  void theDevStacksKeyIsOnlyForAnApiOnThisMachine() throws Exception {
    writeDevKey(work.resolve("data"));

    assertThat(ApiKeySource.find("http://localhost:9000", env, work)).isPresent();
    assertThat(ApiKeySource.find("http://[::1]:8080", env, work)).isPresent();
    assertThat(ApiKeySource.find("https://trainyard.example.com", env, work)).isEmpty();
    assertThat(ApiKeySource.find("http://10.1.2.3:8080", env, work)).isEmpty();
    // a name that resolves to loopback somewhere is still not proof: it is not looked up
    assertThat(ApiKeySource.find("http://localhost.example.com:8080", env, work)).isEmpty();
  }

  @Test
  void withoutTheDataDirVariableTheDevKeyIsLookedForInDotTrainyardHere() throws Exception {
    env.remove(DevSettings.DATA_DIR_ENV);
    writeDevKey(work.resolve(".trainyard"));

    assertThat(find(LOCAL).key()).isEqualTo(DEV_KEY);
  }

  @Test
  void storedKeysAreKeptPerApiWhateverWayItsUrlIsWritten() throws Exception {
    CredentialsFile file = CredentialsFile.forUser(env);
    file.store("HTTP://LocalHost:8080/", STORED_KEY, "id");
    file.store("https://trainyard.example.com", ENV_KEY, "id");

    assertThat(file.key("http://localhost:8080")).hasValue(STORED_KEY);
    assertThat(file.key("https://trainyard.example.com:443/")).hasValue(ENV_KEY);
    assertThat(file.key("http://localhost:8081")).isEmpty();
    assertThat(file.remove("http://localhost:8080")).isTrue();
    assertThat(file.key("http://localhost:8080")).isEmpty();
    assertThat(file.key("https://trainyard.example.com")).hasValue(ENV_KEY);
    assertThat(file.remove("http://localhost:8080")).isFalse();
  }

  @Test
  void theLoginFileIsMode600InFoldersOfMode700AndXdgConfigHomeIsHonoured() throws Exception {
    Path xdg = home.resolve("xdg");
    env.put("XDG_CONFIG_HOME", xdg.toString());
    CredentialsFile file = CredentialsFile.forUser(env);

    file.store(LOCAL, STORED_KEY, "id");

    assertThat(file.path()).isEqualTo(xdg.resolve("trainyard/credentials.json"));
    assertThat(mode(file.path())).isEqualTo("rw-------");
    assertThat(mode(xdg.resolve("trainyard"))).isEqualTo("rwx------");
    assertThat(mode(xdg)).isEqualTo("rwx------");
    // replaced, not rewritten in place: still 600 after a second login
    file.store(LOCAL, ENV_KEY, "id");
    assertThat(mode(file.path())).isEqualTo("rw-------");
    try (var leftovers = Files.list(file.path().getParent())) {
      assertThat(leftovers).containsExactly(file.path());
    }
  }

  @Test
  void aRelativeXdgConfigHomeIsIgnoredAsTheSpecificationSays() {
    env.put("XDG_CONFIG_HOME", "relative/config");

    assertThat(CredentialsFile.forUser(env).path())
        .isEqualTo(home.resolve(".config/trainyard/credentials.json"));
  }

  @Test
  void aLoginFileOthersCanReadIsRefusedAndTheKeyNotShown() throws Exception {
    CredentialsFile file = CredentialsFile.forUser(env);
    file.store(LOCAL, STORED_KEY, "id");
    Files.setPosixFilePermissions(file.path(), PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> find(LOCAL))
        .isInstanceOfSatisfying(
            CliException.class,
            e -> {
              assertThat(e.getMessage())
                  .contains("can be read by other users (mode rw-r--r--)")
                  .contains("chmod 600")
                  .doesNotContain(STORED_KEY);
              assertThat(e.exitCode()).isEqualTo(ExitCodes.STARTUP_FAILED);
            });
  }

  @Test
  void aDevKeyFileOthersCanReadIsRefusedToo() throws Exception {
    Path file = work.resolve("data").resolve(DevSettings.ADMIN_KEY_FILE);
    Files.createDirectories(file.getParent());
    Files.writeString(file, DEV_KEY);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));

    assertThatThrownBy(() -> find(LOCAL))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("can be read by other users")
        .hasMessageNotContaining(DEV_KEY);
  }

  @Test
  void aKeyOfTheWrongShapeIsRefusedWithoutBeingSentOrShown() {
    env.put(ApiKeySource.ENV, "ty_not-a-key-at-all");

    assertThatThrownBy(() -> find(LOCAL))
        .isInstanceOfSatisfying(
            CliException.class,
            e ->
                assertThat(e.getMessage())
                    .startsWith("the API key from TRAINYARD_API_KEY is not a Trainyard API key")
                    .doesNotContain("not-a-key-at-all"));
  }

  @Test
  void noKeyAnywhereSaysHowToGetOne() {
    assertThatThrownBy(() -> ApiKeySource.require(LOCAL, env, work))
        .isInstanceOfSatisfying(
            CliException.class,
            e -> {
              assertThat(e.getMessage())
                  .isEqualTo(
                      "no API key for http://127.0.0.1:8080: run `trainyard login`, or set"
                          + " TRAINYARD_API_KEY (or start ./trainyard dev here: the CLI uses its"
                          + " admin key)");
              assertThat(e.exitCode()).isEqualTo(ExitCodes.REQUEST_REJECTED);
            });
    assertThatThrownBy(() -> ApiKeySource.require("https://ty.example.com", env, work))
        .hasMessage(
            "no API key for https://ty.example.com: run `trainyard login`, or set"
                + " TRAINYARD_API_KEY");
  }

  /** As the dev stack writes it: mode 600. */
  private static void writeDevKey(Path dataDirectory) throws Exception {
    PrivateFiles.write(dataDirectory.resolve(DevSettings.ADMIN_KEY_FILE), DEV_KEY + "\n");
  }

  private ApiKeySource.Found find(String url) {
    return ApiKeySource.find(url, env, work).orElseThrow();
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  /** A well-formed key (the shape only: no API ever issued it). */
  private static String key(char fill) {
    return "ty_"
        + "abcdefghijk"
        + (fill == 'e' ? "2" : fill == 's' ? "3" : "4")
        + "_"
        + String.valueOf(fill).repeat(43);
  }
}
