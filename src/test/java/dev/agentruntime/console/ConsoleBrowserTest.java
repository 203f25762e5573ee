package dev.agentruntime.console;

import dev.agentruntime.testing.HeadlessChromium;
import dev.agentruntime.testing.InChromium;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in Debian's headless Chromium: submit a two-step prompt and watch both steps complete live, open a
 * run from the list, cancel a slow run, and save a screenshot ({@link HeadlessChromium}: required in CI).
 */
@QuarkusTest
class ConsoleBrowserTest extends InChromium {

    @Test
    void submitWatchOpenAndCancelRuns() throws Exception {
        WebDriverWait wait = HeadlessChromium.waitUpTo(browser, Duration.ofSeconds(20));
        browser.get(RestAssured.baseURI + ":" + RestAssured.port + "/");
        wait.until(b -> b.findElement(By.id("health")).getText().startsWith("UP"));

        // Submit and watch both steps complete live.
        submit("calculate 2 + 2 and then add todo to check the console");
        wait.until(b -> steps().size() == 2 && steps().stream()
                .allMatch(step -> "completed".equals(step.getAttribute("data-status"))));
        wait.until(b -> b.findElement(By.id("run-status")).getText().equals("completed"));
        String first = browser.findElement(By.id("run-id")).getText();
        wait.until(b -> steps().get(0).getText().contains("calculator") && steps().get(0).getText().contains("4")
                && steps().get(1).getText().contains("todo_store")
                && steps().get(1).getText().contains("check the console"));
        wait.until(b -> b.findElement(By.id("todos")).getText().contains("check the console"));

        // Another run, then open the first one again from the list.
        submit("calculate 6 * 7");
        wait.until(b -> b.findElement(By.id("run-status")).getText().equals("completed")
                && !b.findElement(By.id("run-id")).getText().equals(first));
        wait.until(b -> !b.findElements(By.cssSelector("#runs li[data-run-id='" + first + "']")).isEmpty());
        browser.findElement(By.cssSelector("#runs li[data-run-id='" + first + "']")).click();
        wait.until(b -> b.findElement(By.id("run-id")).getText().equals(first));
        assertThat(browser.findElement(By.id("run-prompt")).getText()).contains("check the console");
        Path screenshot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(screenshot, Path.of("target", "console.png"), StandardCopyOption.REPLACE_EXISTING);

        // A slow run is cancelled from the console.
        submit("wait 20 seconds then calculate 1 + 1");
        wait.until(b -> b.findElement(By.id("run-status")).getText().equals("running")
                && b.findElement(By.id("cancel")).isDisplayed());
        browser.findElement(By.id("cancel")).click();
        wait.until(b -> b.findElement(By.id("run-status")).getText().equals("cancelled"));
        assertThat(browser.findElement(By.id("run-error")).getText()).isEqualTo("cancelled by request");

        // Bad input is a readable message, not a blank page.
        submit("sing me a song");
        wait.until(b -> b.findElement(By.id("error")).isDisplayed());
        assertThat(browser.findElement(By.id("error")).getText()).contains("I can calculate");
    }

    /**
     * Issue 26, item 9: after a refused prompt the previous run stayed on screen under it, as if it were its result;
     * at 390 px the result landed about 1,300 px down with no scroll; a running step read "0 attempts".
     */
    @Test
    void aRefusalClearsTheRunTheResultIsBroughtIntoViewOnANarrowScreenAndARunningStepIsOnItsFirstAttempt() {
        WebDriverWait wait = HeadlessChromium.waitUpTo(browser, Duration.ofSeconds(20));
        browser.manage().window().setSize(new Dimension(1440, 1000));
        browser.get(RestAssured.baseURI + ":" + RestAssured.port + "/");
        wait.until(b -> b.findElement(By.id("health")).getText().startsWith("UP"));

        submit("calculate 6 * 7");
        wait.until(b -> b.findElement(By.id("run-status")).getText().equals("completed"));
        submit("sing me a song");
        wait.until(b -> b.findElement(By.id("error")).isDisplayed());
        assertThat(browser.findElement(By.id("run")).isDisplayed()).as("the previous run still on screen").isFalse();
        assertThat(browser.findElement(By.id("run-empty")).getText()).contains("Not run");

        try {
            browser.manage().window().setSize(new Dimension(390, 844));
            browser.navigate().refresh();
            wait.until(b -> b.findElement(By.id("health")).getText().startsWith("UP"));
            submit("wait 3 seconds then calculate 2 + 3");
            String running = wait.until(b -> {
                List<WebElement> now = steps();
                return !now.isEmpty() && "running".equals(now.get(0).getAttribute("data-status"))
                        ? now.get(0).getText() : null;
            });
            assertThat(running).contains("attempt 1").doesNotContain("0 attempts");
            long top = ((Number) ((JavascriptExecutor) browser).executeScript(
                    "return document.getElementById('run-title').getBoundingClientRect().top")).longValue();
            long height = ((Number) ((JavascriptExecutor) browser).executeScript("return window.innerHeight"))
                    .longValue();
            assertThat(top).as("the run's title, in a window %d px high", height).isBetween(0L, height - 1);
            long width = ((Number) ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth")).longValue();
            assertThat(width).as("the page's width at 390 px").isLessThanOrEqualTo(390);
            wait.until(b -> b.findElement(By.id("run-status")).getText().equals("completed"));
        } finally {
            browser.manage().window().setSize(new Dimension(1440, 1000));
        }
    }

    private static void submit(String prompt) {
        HeadlessChromium.submit(browser, prompt);
    }

    private static List<WebElement> steps() {
        return browser.findElements(By.cssSelector("#steps > li"));
    }
}
