package dev.trainyard.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.app.dev.DevSettings;
import dev.trainyard.app.dev.DevStack;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real browser against the real dev stack (embedded PostgreSQL, Temporal's test
 * server, the API, the worker and the scripted trainer): what a user sees, clicks and waits for.
 * One stack and one browser for the class; each test starts from a fresh page.
 */
@Timeout(value = 90)
class DashboardBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDirectory;
  static DevStack stack;
  static ApiClient api;
  static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        Browser.available(), "needs Debian's chromium and chromium-driver (.ci/apt-packages)");
    stack = DevStack.start(DevSettings.forTests(dataDirectory));
    api = new ApiClient(stack.apiUrl(), JSON, ApiClient.DEFAULT_TIMEOUT, stack.adminKey());
    browser = new Browser(stack.apiUrl());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @BeforeEach
  void freshPage() {
    browser.desktopWidth();
    browser.open("");
    browser.script("sessionStorage.clear()");
  }

  @AfterEach
  void noScriptErrors(TestInfo test) throws Exception {
    browser.screenshot(test.getTestMethod().orElseThrow().getName() + "-last");
    // A CSP violation or an uncaught exception lands in the console (refused requests and
    // dropped connections are logged there too, and are part of some tests).
    assertThat(browser.consoleErrors())
        .filteredOn(line -> line.contains("Content Security Policy") || line.contains("Uncaught"))
        .isEmpty();
  }

  @Test
  void aWrongKeyIsRefusedWithAClearMessage() throws Exception {
    browser.open("#/jobs");
    browser.type("#login-key", "not-a-key");
    browser.find("#login-submit").click();
    assertThat(browser.await("#login-error").getText()).contains("starts with “ty_”");

    browser.type("#login-key", "ty_thisKeyDoesNotExist0123456789");
    browser.find("#login-submit").click();
    browser.until(d -> browser.text("#login-error").contains("not accepted"));
    browser.screenshot("login-wrong-key");
    assertThat(browser.attr("#login-key", "aria-invalid")).isEqualTo("true");
    assertThat(browser.find("#nav").isDisplayed()).isFalse();

    browser.type("#login-key", stack.adminKey());
    browser.find("#login-submit").click();
    assertThat(browser.await("[data-testid=whoami]").getText()).contains("dev-admin");
    browser.await("#job-filters");
    browser.find("#logout").click();
    browser.await("#login-key");
    assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
  }

  @Test
  void badFormInputShowsTheApisReasonsNextToTheFields() throws Exception {
    int jobsBefore = api.list(null, 100, null).path("jobs").size();
    login();
    browser.open("#/submit");
    browser.type("#submit-model_name", "bad name!");
    browser.type("#submit-epochs", "0");
    browser.type("#submit-learning_rate", "-1");
    browser.type("#submit-retry", "50");
    browser.find("#submit-button").click();

    browser.until(d -> !browser.text("#submit-model_name-error").isEmpty());
    assertThat(browser.text("#submit-model_name-error")).contains("must start with");
    assertThat(browser.text("#submit-epochs-error")).isNotEmpty();
    assertThat(browser.text("#submit-learning_rate-error")).contains("greater than 0");
    assertThat(browser.attr("#submit-epochs", "aria-invalid")).isEqualTo("true");
    assertThat(browser.text("#submit-retry-error")).contains("retry.max_attempts");
    assertThat(browser.text("#submit-batch_size-error")).isEmpty();
    browser.screenshot("submit-field-errors");

    browser.type("#submit-hyperparameters", "{\"lr\": ");
    browser.find("#submit-button").click();
    browser.until(d -> !browser.text("#submit-hyperparameters-error").isEmpty());
    assertThat(browser.text("#submit-hyperparameters-error")).contains("JSON object");
    assertThat(api.list(null, 100, null).path("jobs")).hasSize(jobsBefore); // nothing submitted
  }

  @Test
  void aJobSubmittedFromTheFormMovesLiveAndEndsCancelled() throws Exception {
    login();
    uploadDataset(DevStack.DEMO_DATASET); // the scripted trainer finds it in its dataset folder
    browser.open("#/submit");
    new Select(browser.await("#submit-framework")).selectByValue("scripted");
    browser.type("#submit-model_name", "browser-net");
    browser.until(d -> !browser.all("select#submit-dataset_id").isEmpty());
    new Select(browser.find("#submit-dataset_id")).selectByValue(DevStack.DEMO_DATASET);
    browser.type("#submit-epochs", "40");
    browser.type("#submit-hyperparameters", "{\"seconds_per_epoch\": 1.5}");
    browser.find("#submit-button").click();

    String jobId =
        browser.until(
            d ->
                d.getCurrentUrl().matches(".*#/jobs/\\d+$")
                    ? d.getCurrentUrl().replaceAll(".*/", "")
                    : null);
    browser.find(".crumbs a").click();
    String row = "tr[data-job-id='" + jobId + "']";
    browser.await(row);
    double first = progress(row + " [data-testid=progress]");
    browser.until(d -> progress(row + " [data-testid=progress]") > first); // live, no reload
    browser.screenshot("job-list-live");

    browser.find(row + " a.job-link").click();
    browser.until(d -> points("#chart-loss") >= 1);
    int before = points("#chart-loss");
    browser.until(d -> points("#chart-loss") > before);
    double shown = progress("#job-progress [data-testid=progress]");
    browser.until(d -> progress("#job-progress [data-testid=progress]") > shown);
    browser.screenshot("job-running");

    // by keyboard: Enter on Cancel, the dialog opens on "Keep running", Tab, Enter
    browser.find("#cancel-button").sendKeys(Keys.ENTER);
    browser.await("#cancel-dialog #cancel-confirm");
    assertThat(browser.script("return document.activeElement.id")).isEqualTo("cancel-dismiss");
    browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
    assertThat(browser.script("return document.activeElement.id")).isEqualTo("cancel-confirm");
    browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    browser.until(d -> "requested".equals(browser.attr("#cancel-state", "data-phase")));
    assertThat(browser.text("#job-status")).contains("cancelling");
    browser.screenshot("job-cancel-requested");
    browser.screenshot("job-cancel-requested-small", 760, 0.6); // docs/dashboard-job.png
    browser.until(d -> "cancelled".equals(browser.attr("#cancel-state", "data-phase")));
    assertThat(browser.attr("#job-status [data-testid=status]", "data-status"))
        .isEqualTo("cancelled");
    assertThat(browser.text("#failure-reason")).contains("stopped cleanly");
    browser.until(d -> browser.attr("#live-state", "data-state").equals("ended"));
    assertThat(browser.text("#log-tail")).contains("cancelled");
    browser.screenshot("job-cancelled");
  }

  @Test
  void aFailedJobSaysWhyInPlainWords() throws Exception {
    long jobId = submit(job -> job.put("dataset_id", "no-such-dataset"));
    login();
    browser.open("#/jobs/" + jobId);
    browser.until(
        d -> "failed".equals(browser.attr("#job-status [data-testid=status]", "data-status")));
    String reason = browser.await("#failure-reason").getText();
    assertThat(reason)
        .contains("The trainer reported that training failed")
        .contains("dataset 'demo/no-such-dataset' not found");
    assertThat(browser.text("#status-timeline [data-step=failed]")).contains("failed");
    browser.until(d -> !browser.all("#event-rows tr[data-event-type=dataset_not_found]").isEmpty());
    browser.screenshot("job-failed");

    // the list's filters: by status, by job id, and an empty result that says so
    browser.open("#/jobs?status=failed");
    browser.await("tr[data-job-id='" + jobId + "']");
    assertThat(browser.all("#job-rows tr"))
        .allSatisfy(tr -> assertThat(tr.getAttribute("data-status")).isEqualTo("failed"));
    browser.open("#/jobs?q=" + jobId);
    browser.await("tr[data-job-id='" + jobId + "']");
    assertThat(browser.all("#job-rows tr")).hasSize(1);
    browser.open("#/jobs?q=ffffffff-no-such-trace");
    assertThat(browser.await("#jobs-empty").getText()).contains("No job matches these filters");
    browser.screenshot("jobs-empty-filter");
  }

  /**
   * A job on its second attempt (issue #16): the job page shows its attempts as they change, from
   * the stream, and the list marks it. The attempts are written as the workflow's store writes
   * them, so the page is tested without a trainer that dies.
   */
  @Test
  void aRetriedJobShowsItsAttemptsLiveAndTheListMarksIt() throws Exception {
    long jobId =
        submit(
            job -> {
              job.putObject("hyperparameters").put("seconds_per_epoch", 20);
              job.putObject("retry").put("max_attempts", 3);
            });
    login();
    browser.open("#/jobs/" + jobId);
    browser.until(
        d -> "running".equals(browser.attr("#job-status [data-testid=status]", "data-status")));
    assertThat(browser.attr("#job-attempts", "hidden")).isNotNull(); // one attempt: no table
    try (Connection db =
        DriverManager.getConnection(stack.jdbcUrl(), "postgres", stack.databasePassword())) {
      db.createStatement()
          .execute(
              "INSERT INTO job_attempts (job_id, attempt, started_at, ended_at, cause, message)"
                  + " VALUES ("
                  + jobId
                  + ", 1, now() - interval '1 min', now(), 'oom_killed', 'exit code 137')"
                  // the workflow recorded attempt 1's start when it launched it
                  + " ON CONFLICT (job_id, attempt) DO UPDATE SET ended_at = EXCLUDED.ended_at,"
                  + " cause = EXCLUDED.cause, message = EXCLUDED.message");
      db.createStatement()
          .execute(
              "INSERT INTO job_attempts (job_id, attempt, started_at, resumed_from_uri,"
                  + " resumed_from_epoch) VALUES ("
                  + jobId
                  + ", 2, now(), 's3://trainyard/checkpoints/job-"
                  + jobId
                  + "/attempt-1/last.pt', 3)");
      db.createStatement().execute("UPDATE training_jobs SET attempt = 2 WHERE id = " + jobId);
    }

    browser.until(d -> browser.all("#attempt-rows tr").size() == 2); // live, no reload
    assertThat(browser.text("#attempt-rows tr[data-attempt='1']")).contains("ran out of memory");
    assertThat(browser.text("#attempt-rows tr[data-attempt='2']"))
        .contains("running")
        .contains("epoch 3");
    assertThat(browser.text("#job-status [data-testid=attempt]")).isEqualTo("attempt 2 of 3");
    browser.screenshot("job-attempts");
    browser.open("#/jobs?q=" + jobId);
    browser.await("tr[data-job-id='" + jobId + "'] [data-testid=attempt]");
    assertThat(browser.text("tr[data-job-id='" + jobId + "'] [data-testid=attempt]"))
        .isEqualTo("attempt 2");
    api.cancel(jobId);
  }

  /**
   * Each page holds a live stream. Leaving the page must give its connection back: the browser
   * keeps a left page in its back/forward cache, and with HTTP/1.1's six connections per host the
   * seventh load in a row waited about a minute for one until the stream closed on pagehide.
   */
  @Test
  void pageAfterPageLoadsWithoutWaitingForAConnection() throws Exception {
    login();
    for (int load = 1; load <= 8; load++) {
      long started = System.nanoTime();
      browser.open("#/jobs");
      browser.until(d -> "live".equals(browser.attr("#live-state", "data-state")));
      // a load takes well under a second here; the stall it guards against was about a minute
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("page load %d, until its stream is live", load)
          .isLessThan(Duration.ofSeconds(20));
    }
  }

  @Test
  void theJobPageKeepsUpdatingAfterTheApiRestarts() throws Exception {
    long jobId =
        submit(
            job -> {
              job.put("epochs", 60);
              job.putObject("hyperparameters").put("seconds_per_epoch", 0.5);
            });
    login();
    browser.open("#/jobs/" + jobId);
    browser.until(d -> points("#chart-loss") >= 2);
    browser.await("#live-state[data-state=live]");

    stack.restartApi();
    int atRestart = points("#chart-loss");
    browser.until(Duration.ofSeconds(45), d -> points("#chart-loss") > atRestart + 2);
    assertThat(browser.attr("#live-state", "data-state")).isEqualTo("live");
    // the log went on too, resumed where it was: no line shown twice
    browser.until(d -> browser.text("#log-tail").contains("epoch " + (atRestart + 2) + "/60"));
    assertThat(browser.text("#log-tail").split("epoch 1/60", -1)).hasSize(2);
    browser.screenshot("job-after-api-restart");
    api.cancel(jobId);
    browser.until(d -> "cancelled".equals(browser.attr("#cancel-state", "data-phase")));
  }

  @Test
  void aPhoneWidthScreenShowsTheListAndAJobWithoutSideScrolling() throws Exception {
    long jobId = submit(job -> job.put("epochs", 2));
    login();
    browser.phoneWidth();
    browser.open("#/jobs");
    browser.await("tr[data-job-id='" + jobId + "']");
    assertThat(overflow()).isZero();
    browser.screenshot("phone-job-list");
    browser.open("#/jobs/" + jobId);
    browser.await("#live-state[data-state=ended]"); // the whole history has arrived
    assertThat(browser.attr("#job-status [data-testid=status]", "data-status"))
        .isEqualTo("succeeded");
    browser.until(d -> points("#chart-loss") == 2);
    assertThat(overflow()).isZero();
    browser.screenshot("phone-job");
    browser.open("#/submit");
    browser.await("#submit-form");
    assertThat(overflow()).isZero();
    browser.screenshot("phone-submit");
  }

  @Test
  void aChartOf10000PointsDrawsQuicklyAndStaysResponsive() throws Exception {
    long jobId = submit(job -> job.put("epochs", 1));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "succeeded".equals(api.job(jobId).path("status").asText()));
    try (Connection db =
            DriverManager.getConnection(stack.jdbcUrl(), "postgres", stack.databasePassword());
        PreparedStatement insert =
            db.prepareStatement(
                "INSERT INTO training_metrics (job_id, epoch, step, metrics)"
                    + " SELECT ?, g, 0, jsonb_build_object('loss', 2.5 * exp(-g / 2000.0) + 0.05,"
                    + " 'mAP50', 1 - exp(-g / 3000.0)) FROM generate_series(2, 10001) g")) {
      insert.setLong(1, jobId); // a long run's history, as the stream replays it
      insert.executeUpdate();
    }
    login();

    long start = System.nanoTime();
    browser.open("#/jobs/" + jobId);
    browser.until(d -> points("#chart-loss") == 10_001 && points("#chart-map") == 10_000);
    long drawnMillis = (System.nanoTime() - start) / 1_000_000;

    // The slowest of 30 frames while the pointer moves across the chart (uPlot's cursor and
    // legend follow it): a page busy drawing 10,000 points would skip frames here.
    new org.openqa.selenium.interactions.Actions(browser.driver)
        .moveToElement(browser.find("#chart-loss .u-over"), -100, 0)
        .moveByOffset(200, 0)
        .perform();
    Number slowestFrame =
        (Number)
            browser.driver.executeAsyncScript(
                "const done = arguments[0]; let last = performance.now(), worst = 0, n = 0;"
                    + "function frame(t) { worst = Math.max(worst, t - last); last = t;"
                    + " if (++n < 30) requestAnimationFrame(frame); else done(worst); }"
                    + "requestAnimationFrame(frame);");
    browser.screenshot("job-10000-points");
    System.out.printf(
        "10,000 points drawn %d ms after opening the page; slowest frame %.0f ms%n",
        drawnMillis, slowestFrame.doubleValue());
    assertThat(drawnMillis).isLessThan(10_000);
    assertThat(slowestFrame.doubleValue()).isLessThan(250);
    assertThat(browser.text("#chart-loss .u-legend")).contains("loss");
  }

  private static void login() {
    browser.open("");
    browser.script("sessionStorage.setItem('trainyard.apiKey', arguments[0])", stack.adminKey());
    browser.driver.navigate().refresh();
    browser.await("[data-testid=whoami]");
  }

  private static void uploadDataset(String id) throws Exception {
    Path zip = dataDirectory.resolve(id + ".zip");
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream archive = new ZipOutputStream(out)) {
      for (String[] entry :
          new String[][] {
            {"data.yaml", "train: images\nval: images\nnames: [shape]\n"},
            {"images/a.png", "x"},
          }) {
        archive.putNextEntry(new ZipEntry(entry[0]));
        archive.write(entry[1].getBytes(StandardCharsets.UTF_8));
        archive.closeEntry();
      }
    }
    browser.open("#/datasets");
    browser.await("#upload-file").sendKeys(zip.toAbsolutePath().toString());
    assertThat(browser.find("#upload-dataset_id").getDomProperty("value")).isEqualTo(id);
    browser.find("#upload-button").click();
    browser.await("#upload-done");
    browser.await("tr[data-dataset-id='" + id + "']");
    browser.screenshot("datasets-uploaded");
  }

  private static long submit(Consumer<ObjectNode> customise) {
    ObjectNode job = JSON.createObjectNode();
    job.put("framework", "scripted");
    job.put("model_name", "browser-net");
    job.put("dataset_id", DevStack.DEMO_DATASET);
    job.put("project_id", DevStack.DEMO_PROJECT);
    job.put("epochs", 3);
    job.put("batch_size", 8);
    job.put("learning_rate", 0.01);
    job.putObject("hyperparameters").put("seconds_per_epoch", 0.3);
    customise.accept(job);
    return api.submit(job, null).path("job_id").asLong();
  }

  private static double progress(String css) {
    String value = browser.attr(css, "data-progress");
    return value == null ? -1 : Double.parseDouble(value); // -1: not drawn yet
  }

  private static int points(String css) {
    String value = browser.attr(css, "data-points");
    return value == null ? -1 : Integer.parseInt(value); // -1: not drawn yet
  }

  /** How far the page is wider than the window (0: no side scrolling). */
  private static long overflow() {
    return (Long)
        browser.script(
            "return Math.max(0, document.documentElement.scrollWidth - window.innerWidth)");
  }
}
