package dev.trainyard.bench.dashboard;

import java.io.File;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard's job list page in a real browser (Debian's headless chromium through its
 * chromium-driver): from navigation start to the first page of rows drawn, as the page's own clock
 * ({@code performance.now()}) reads it when the rows are there. Each load is a fresh page, so its
 * scripts, the whoami check and the list request all count.
 */
final class ListPageProbe implements AutoCloseable {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String DRIVER = "/usr/bin/chromedriver";

  /** Resolves with the page's clock once the list shows {@code arguments[0]} rows. */
  private static final String ROWS_DRAWN =
      "const want = arguments[0], done = arguments[arguments.length - 1];"
          + " (function check() {"
          + "   if (document.querySelectorAll('#job-rows tr[data-job-id]').length >= want)"
          + "     done(performance.now());"
          + "   else requestAnimationFrame(check);"
          + " })();";

  private final ChromeDriver driver;
  private final String baseUrl;

  ListPageProbe(String baseUrl, String key) {
    this.baseUrl = baseUrl;
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--no-first-run",
        "--window-size=1280,1000");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(DRIVER))
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    // the key where the dashboard keeps it after a login (sessionStorage of this origin)
    driver.get(baseUrl + "/");
    driver.executeScript("sessionStorage.setItem('trainyard.apiKey', arguments[0])", key);
  }

  static boolean available() {
    return new File(CHROMIUM).canExecute() && new File(DRIVER).canExecute();
  }

  /** Loads {@code hash} {@code times} times; prints p50 and max of the time to {@code rows}. */
  void measure(String label, String hash, int rows, int times) {
    double[] millis = new double[times];
    for (int i = -2; i < times; i++) { // two warm-ups: the JIT of the API, the disk cache
      driver.get("about:blank");
      driver.get(baseUrl + "/" + hash);
      double drawn = ((Number) driver.executeAsyncScript(ROWS_DRAWN, rows)).doubleValue();
      if (i >= 0) {
        millis[i] = drawn;
      }
    }
    Arrays.sort(millis);
    System.out.printf(
        Locale.ROOT,
        "  browser: %-32s %d rows drawn  p50 %6.0f ms  max %6.0f ms  (%d loads)%n",
        label,
        rows,
        millis[times / 2],
        millis[times - 1],
        times);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
