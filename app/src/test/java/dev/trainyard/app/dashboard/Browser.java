package dev.trainyard.app.dashboard;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven through Debian's chromium-driver (given by path, so Selenium
 * Manager never tries to download a driver). Waits are explicit and bounded; screenshots go to
 * {@code target/screenshots/}.
 */
final class Browser implements AutoCloseable {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String DRIVER = "/usr/bin/chromedriver";

  final ChromeDriver driver;
  final String baseUrl;

  Browser(String baseUrl) {
    this.baseUrl = baseUrl;
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--window-size=1280,1000");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(DRIVER))
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
  }

  static boolean available() {
    return Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(DRIVER));
  }

  /** Loads the page afresh (a hash change alone would keep the old page's state). */
  void open(String hash) {
    driver.get("about:blank");
    driver.get(baseUrl + "/" + hash);
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Waits until {@code css} matches a displayed element, and returns it. */
  WebElement await(String css) {
    return until(
        d ->
            d.findElements(By.cssSelector(css)).stream()
                .filter(WebElement::isDisplayed)
                .findFirst()
                .orElse(null));
  }

  <T> T until(Function<WebDriver, T> condition) {
    return until(WAIT, condition);
  }

  <T> T until(Duration timeout, Function<WebDriver, T> condition) {
    // live pages redraw what they show: an element read a moment ago may have been replaced
    return new WebDriverWait(driver, timeout, Duration.ofMillis(100))
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  /** An attribute read in the page in one step (the element may be redrawn at any moment). */
  String attr(String css, String name) {
    return (String)
        driver.executeScript(
            "const e = document.querySelector(arguments[0]);"
                + " return e ? e.getAttribute(arguments[1]) : null",
            css,
            name);
  }

  /** The text of the first element matching {@code css}, read in one step ("" if none). */
  String text(String css) {
    return (String)
        driver.executeScript(
            "const e = document.querySelector(arguments[0]); return e ? e.innerText : ''", css);
  }

  void type(String css, String text) {
    WebElement field = await(css);
    field.clear();
    field.sendKeys(text);
  }

  void phoneWidth() {
    driver.manage().window().setSize(new Dimension(375, 812));
  }

  void desktopWidth() {
    driver.manage().window().setSize(new Dimension(1280, 1000));
  }

  Object script(String js, Object... args) {
    return driver.executeScript(js, args);
  }

  /**
   * The whole page, not only the window, as {@code target/screenshots/<name>.png} (Chrome's
   * DevTools capture beyond the viewport, clipped to the content's size).
   */
  Path screenshot(String name) throws IOException {
    return screenshot(name, Double.MAX_VALUE, 1);
  }

  /** The top {@code height} CSS pixels of the page, scaled (a small picture for the docs). */
  @SuppressWarnings("unchecked")
  Path screenshot(String name, double height, double scale) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
    double pageHeight = ((Number) size.get("height")).doubleValue();
    Map<String, Object> clip =
        Map.of(
            "x",
            0,
            "y",
            0,
            "width",
            size.get("width"),
            "height",
            Math.min(height, pageHeight),
            "scale",
            scale);
    Map<String, Object> shot =
        driver.executeCdpCommand(
            "Page.captureScreenshot",
            Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
    Path target = SCREENSHOTS.resolve(name + ".png");
    Files.write(target, Base64.getDecoder().decode((String) shot.get("data")));
    return target;
  }

  /** The browser console's errors (CSP violations and uncaught exceptions land there). */
  List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
