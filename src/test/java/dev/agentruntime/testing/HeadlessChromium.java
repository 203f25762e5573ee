package dev.agentruntime.testing;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Debian's headless Chromium for the console's browser tests. CI installs it and sets AGENT_REQUIRE_BROWSER=true, so
 * there a missing browser fails the test instead of skipping it.
 */
public final class HeadlessChromium {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER_BIN",
            "/usr/bin/chromedriver"));

    private HeadlessChromium() {
    }

    /**
     * A wait for a page that re-renders on each event: an element read mid-update is stale, and a list read before
     * its first item arrives is empty; both mean "not yet", not "wrong".
     */
    public static WebDriverWait waitUpTo(WebDriver browser, Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser, timeout);
        wait.ignoring(StaleElementReferenceException.class);
        wait.ignoring(IndexOutOfBoundsException.class);
        return wait;
    }

    /** Types a prompt into the console's form and submits it. */
    public static void submit(WebDriver browser, String prompt) {
        WebElement field = browser.findElement(By.id("prompt"));
        field.clear();
        field.sendKeys(prompt);
        browser.findElement(By.id("submit")).click();
    }

    /** A fresh browser; skips the calling test when Chromium is not installed (fails in CI). */
    public static WebDriver start() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("AGENT_REQUIRE_BROWSER"))) {
            throw new IllegalStateException("Chromium or chromedriver missing at " + CHROMIUM + ", " + CHROMEDRIVER);
        }
        Assumptions.assumeTrue(present, "Chromium is not installed (apt-get install chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1440,1000",
                "--user-data-dir=" + Files.createTempDirectory("console-test-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
