package dev.trainyard.app.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.app.CliRunner;
import dev.trainyard.app.ExitCodes;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.app.cli.ApiKeySource;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access-control commands as a user runs them, against the real dev stack: its admin key found
 * without a login, projects and keys made and revoked through the API, a key shown once, a login
 * file of mode 600, and the one-line messages for no key, a refused key and a role too low. Each
 * test uses its own project, so they do not depend on each other's order.
 */
class AccessCliEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern KEY = Pattern.compile("ty_[a-z2-7]{12}_[A-Za-z0-9_-]{43}");

  @TempDir static Path dataDirectory;
  @TempDir static Path home;
  static DevStack stack;

  /** A shell on this machine with no key set: the CLI finds the dev stack's. */
  static CliRunner shell;

  @BeforeAll
  static void startStack() throws Exception {
    stack = DevStack.start(DevSettings.forTests(dataDirectory));
    shell =
        new CliRunner(
            Map.of(
                "HOME",
                home.toString(),
                DevSettings.DATA_DIR_ENV,
                dataDirectory.toString(),
                "TRAINYARD_API",
                stack.apiUrl()),
            dataDirectory);
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void theDevStacksAdminKeyIsUsedWithoutALoginAndItsFileIsPrivate() throws Exception {
    Path keyFile = dataDirectory.resolve(DevSettings.ADMIN_KEY_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(keyFile).strip()).isEqualTo(stack.adminKey()).matches(KEY);

    CliRunner.Result whoami = run(shell, "whoami");

    assertThat(whoami.out())
        .contains("(dev-admin): global admin")
        .contains("key from " + keyFile + " (the dev stack's admin key)")
        .doesNotContain(stack.adminKey());
    assertThat(stack.summary())
        .contains("Admin key", keyFile.toString())
        .doesNotContain(stack.adminKey());
  }

  @Test
  void keysCreatePrintsTheKeyOnceAloneOnStandardOutputAndListsNeverShowIt() {
    run(shell, "projects", "create", "listing");

    CliRunner.Result created =
        run(
            shell,
            "keys",
            "create",
            "--project",
            "listing",
            "--role",
            "member",
            "--name",
            "ci",
            "--expires-in",
            "30d");

    String key = created.out().strip();
    assertThat(key).matches(KEY);
    assertThat(created.err())
        .contains("created key " + key.substring(3, 15) + " (ci): role member in project listing")
        .contains(", expires ")
        .contains("this key is shown only once")
        .doesNotContain(key);
    CliRunner.Result listed = run(shell, "keys", "list", "--project", "listing");
    assertThat(listed.out()).contains(key.substring(3, 15), "ci", "member").doesNotContain(key);
    assertThat(listed.out()).doesNotContain(key.substring(16));
    assertThat(run(shell, "projects", "list").out()).contains("listing", "demo");
  }

  @Test
  void loginStoresAVerifiedKeyInAFileOfMode600AndItWinsOverTheDevKey() throws Exception {
    run(shell, "projects", "create", "login-test");
    String viewer =
        run(shell, "keys", "create", "--project", "login-test", "--role", "viewer", "--name", "v")
            .out()
            .strip();
    Path userHome = Files.createTempDirectory(home, "login");
    CliRunner user = shell.with("HOME", userHome.toString());

    CliRunner.Result login = user.runWithInput(viewer + "\n", "login");

    assertThat(login.exitCode()).as(login.all()).isZero();
    assertThat(login.out())
        .contains("logged in to " + stack.apiUrl() + " as key " + viewer.substring(3, 15))
        .contains("role viewer in project login-test")
        .doesNotContain(viewer);
    Path file = userHome.resolve(".config/trainyard/credentials.json");
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(mode(file.getParent())).isEqualTo("rwx------");
    assertThat(run(user, "whoami").out()).contains("role viewer in project login-test");

    CliRunner.Result logout = run(user, "logout");
    assertThat(logout.out()).contains("removed the key for " + stack.apiUrl());
    assertThat(run(user, "whoami").out()).contains("global admin");
  }

  @Test
  void loginRefusesAKeyTheApiDoesNotKnowAndStoresNothing() {
    Path userHome = home.resolve("refused");
    CliRunner user = shell.with("HOME", userHome.toString());
    String unknown = "ty_abcdefghijk2_" + "A".repeat(43);

    CliRunner.Result login = user.runWithInput(unknown + "\n", "login");

    assertThat(login.exitCode()).isEqualTo(ExitCodes.REQUEST_REJECTED);
    assertThat(login.err())
        .isEqualTo(
            "error: the API at "
                + stack.apiUrl()
                + " refused this key (unknown, revoked or expired): check that you copied the"
                + " whole key, or ask a project admin for a new one; nothing was stored\n");
    assertThat(userHome.resolve(".config/trainyard/credentials.json")).doesNotExist();

    CliRunner.Result malformed = user.runWithInput("not-a-key\n", "login");
    assertThat(malformed.exitCode()).isEqualTo(ExitCodes.REQUEST_REJECTED);
    assertThat(malformed.err()).startsWith("error: the API key from standard input is not a");
    assertThat(malformed.all()).doesNotContain("not-a-key\n");
  }

  @Test
  void aRoleTooLowIsOneLineNamingTheRoleTheProjectAndTheKeyToAskFor() {
    run(shell, "projects", "create", "alpha");
    String viewer =
        run(shell, "keys", "create", "--project", "alpha", "--role", "viewer", "--name", "v")
            .out()
            .strip();
    CliRunner asViewer = shell.with(ApiKeySource.ENV, viewer);

    CliRunner.Result submit =
        asViewer.run(
            "submit", "--framework", "scripted", "--model", "m", "--dataset", "d", "--epochs", "1");
    CliRunner.Result keys = asViewer.run("keys", "create", "--role", "viewer", "--name", "x");

    assertThat(submit.exitCode()).isEqualTo(ExitCodes.REQUEST_REJECTED);
    assertThat(submit.err())
        .isEqualTo(
            "error: your key (role viewer in project alpha) may not submit jobs to project alpha;"
                + " ask a project admin for a member key\n");
    assertThat(keys.err())
        .isEqualTo(
            "error: your key (role viewer in project alpha) may not create keys in project"
                + " alpha; ask a project admin for an admin key\n");
    assertThat(asViewer.run("projects", "create", "beta").err())
        .isEqualTo(
            "error: your key (role viewer in project alpha) may not create projects; only a"
                + " global admin key may; ask your Trainyard operator\n");
    // a viewer reads: the job list of its project answers
    assertThat(asViewer.run("list", "--project", "alpha").exitCode()).isZero();
  }

  @Test
  void aRevokedKeyIsRefusedWithinFiveSecondsInOneLine() {
    run(shell, "projects", "create", "revoking");
    String member =
        run(shell, "keys", "create", "--project", "revoking", "--role", "member", "--name", "m")
            .out()
            .strip();
    CliRunner asMember = shell.with(ApiKeySource.ENV, member);
    assertThat(asMember.run("whoami").exitCode()).isZero();

    CliRunner.Result revoked = run(shell, "keys", "revoke", member.substring(3, 15));

    assertThat(revoked.out()).startsWith("revoked key " + member.substring(3, 15) + " (m) at ");
    CliRunner.Result refused =
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> asMember.run("whoami"), r -> r.exitCode() != 0);
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.REQUEST_REJECTED);
    assertThat(refused.err())
        .isEqualTo(
            "error: the API refused the API key from TRAINYARD_API_KEY (unknown, revoked or"
                + " expired): run `trainyard login` with a valid key, or set TRAINYARD_API_KEY\n");
    assertThat(refused.all()).doesNotContain(member);
  }

  @Test
  void noKeyAtAllIsOneLineSayingHowToGetOne() throws IOException {
    CliRunner keyless =
        shell.with(
            DevSettings.DATA_DIR_ENV, Files.createTempDirectory(home, "no-stack").toString());

    CliRunner.Result result = keyless.run("status", "1");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.REQUEST_REJECTED);
    assertThat(result.err())
        .isEqualTo(
            "error: no API key for "
                + stack.apiUrl()
                + ": run `trainyard login`, or set TRAINYARD_API_KEY (or start ./trainyard dev"
                + " here: the CLI uses its admin key)\n");
  }

  @Test
  void submitDefaultsToTheKeysProjectAndAGlobalKeyMustNameOne() throws Exception {
    run(shell, "projects", "create", "own");
    String member =
        run(shell, "keys", "create", "--project", "own", "--role", "member", "--name", "m")
            .out()
            .strip();
    String[] job = {
      "submit", "--framework", "scripted", "--model", "m", "--dataset", "d", "--epochs", "1"
    };

    CliRunner.Result global = shell.run(job);
    CliRunner.Result asMember = shell.with(ApiKeySource.ENV, member).run(job);

    assertThat(global.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(global.err())
        .isEqualTo(
            "error: your key is a global admin key, which belongs to no project: name one with"
                + " --project (trainyard projects list shows them)\n");
    assertThat(asMember.exitCode()).as(asMember.all()).isZero();
    JsonNode jobs = admin().list("own", null, 10, null).path("jobs");
    assertThat(jobs).hasSize(1);
    assertThat(jobs.get(0).path("project_id").asText()).isEqualTo("own");
    assertThat(jobs.get(0).path("submitted_by").asText()).isEqualTo(member.substring(3, 15));
  }

  @Test
  void datasetUploadGoesToTheProjectAndShowsInItsList() throws Exception {
    Path zip = dataDirectory.resolve("tiny.zip");
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream archive = new ZipOutputStream(out)) {
      for (String[] entry :
          new String[][] {
            {"data.yaml", "train: images\nval: images\nnames: [a]\n"},
            {"images/a.png", "x"},
            {"labels/a.txt", "0 0.5 0.5 0.1 0.1\n"}
          }) {
        archive.putNextEntry(new ZipEntry(entry[0]));
        archive.write(entry[1].getBytes(StandardCharsets.UTF_8));
        archive.closeEntry();
      }
    }

    CliRunner.Result uploaded =
        run(shell, "dataset", "upload", "--project", "demo", "tiny", zip.toString());

    assertThat(uploaded.out())
        .startsWith("uploaded dataset tiny to project demo: s3://trainyard/datasets/demo/tiny.zip");
    assertThat(run(shell, "dataset", "list", "--project", "demo").out()).contains("tiny");
    assertThat(run(shell, "dataset", "show", "--project", "demo", "tiny").out())
        .contains("s3://trainyard/datasets/demo/tiny.zip");
  }

  @Test
  void theAuditShowsWhoCreatedAndRevokedKeys() {
    run(shell, "projects", "create", "audited");
    String key =
        run(shell, "keys", "create", "--project", "audited", "--role", "viewer", "--name", "a")
            .out()
            .strip();
    run(shell, "keys", "revoke", key.substring(3, 15));

    CliRunner.Result audit = run(shell, "audit", "--project", "audited");

    String adminId = stack.adminKey().substring(3, 15);
    assertThat(audit.out())
        .contains("key.create", "key.revoke", "project.create", adminId, key.substring(3, 15))
        .doesNotContain(key);
  }

  @Test
  void aWholeKeyGivenToRevokeIsRefusedBeforeAnythingIsSent() {
    String key = "ty_abcdefghijk2_" + "B".repeat(43);

    CliRunner.Result result = shell.run("keys", "revoke", key);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).startsWith("error: that is a whole API key, not its id");
    assertThat(result.all()).doesNotContain(key);
  }

  @Test
  void adminCreateKeyMakesTheFirstKeysFromTheApisConfigWithoutTheApi() {
    String config = dataDirectory.resolve("api.yml").toString();

    CliRunner.Result projectAdmin =
        shell.run(
            "admin",
            "create-key",
            "--config",
            config,
            "--project",
            "bootstrapped",
            "--create-project",
            "--name",
            "ops");
    CliRunner.Result global =
        shell.run("admin", "create-key", "--config", config, "--global", "--name", "root");
    CliRunner.Result missingProject =
        shell.run("admin", "create-key", "--config", config, "--project", "nope", "--name", "x");

    assertThat(projectAdmin.exitCode()).as(projectAdmin.all()).isZero();
    String key = projectAdmin.out().strip();
    assertThat(key).matches(KEY);
    assertThat(projectAdmin.err())
        .contains("created project bootstrapped")
        .contains("(ops): role admin in project bootstrapped")
        .contains("shown only once")
        .doesNotContain(key);
    assertThat(shell.with(ApiKeySource.ENV, key).run("whoami").out())
        .contains("(ops): role admin in project bootstrapped");
    assertThat(shell.with(ApiKeySource.ENV, global.out().strip()).run("whoami").out())
        .contains("(root): global admin");
    assertThat(missingProject.exitCode()).isEqualTo(ExitCodes.REQUEST_REJECTED);
    assertThat(missingProject.err())
        .isEqualTo("error: project 'nope' does not exist: add --create-project to create it\n");
  }

  private static CliRunner.Result run(CliRunner cli, String... args) {
    CliRunner.Result result = cli.run(args);
    assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result.all()).isZero();
    return result;
  }

  private static ApiClient admin() {
    return new ApiClient(stack.apiUrl(), JSON, ApiClient.DEFAULT_TIMEOUT, stack.adminKey());
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
