package dev.catena.tests.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver (Selenium 4): one page, scripts
 * evaluated in it, screenshots. Started with the flags this closed network needs (no background
 * networking, component updates or sync: their connections would be refused) and a fresh profile
 * directory, removed on close. The driver and browser paths are fixed, so Selenium Manager never
 * looks for (or downloads) a driver.
 */
final class HeadlessChromium implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriver driver;
  private final Path profile;

  private HeadlessChromium(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** True if both the browser and its driver are installed (Debian chromium, chromium-driver). */
  static boolean installed() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  /** Starts the browser with a window of {@code width} × {@code height} CSS pixels. */
  static HeadlessChromium start(int width, int height) throws IOException {
    Path profile = Files.createTempDirectory("catena-chromium-");
    var options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height);
    var service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    var driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return new HeadlessChromium(driver, profile);
  }

  /** Loads {@code url} in the window. */
  void open(String url) {
    driver.get(url);
  }

  /**
   * Evaluates {@code script} (a function body; {@code return} a value) in the page and returns its
   * value as Selenium converts it (lists, maps of String → Object, strings, longs, booleans).
   */
  Object script(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  /** A PNG of the whole page: the window is made as tall as the page first. */
  void screenshot(Path png) throws IOException {
    long height = (Long) script("return Math.ceil(document.documentElement.scrollHeight)");
    Dimension size = driver.manage().window().getSize();
    driver.manage().window().setSize(new Dimension(size.getWidth(), (int) height + 100));
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
    driver.manage().window().setSize(size);
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove the browser profile " + profile, e);
      }
    }
  }
}
