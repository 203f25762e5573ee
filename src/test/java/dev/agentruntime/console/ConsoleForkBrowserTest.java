package dev.agentruntime.console;

import dev.agentruntime.testing.HeadlessChromium;
import dev.agentruntime.testing.InChromium;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasSize;

/**
 * Issue 30 in the console: a run fails at its second step; "Fork from here" on that step opens its recorded input
 * for editing; text that is not JSON is refused in the page (nothing sent), the server's 422 for an input the tool
 * refuses is shown in the form; an edited input that uses the first step's output forks a run that reuses that step
 * and completes; the fork links to its source and the source lists the fork. A run offers the action once it has
 * ended, not before.
 */
@QuarkusTest
class ConsoleForkBrowserTest extends InChromium {

    @Test
    void forkAFailedStepWithAnEditedInputAndFollowTheLineageBothWays() throws Exception {
        WebDriverWait wait = HeadlessChromium.waitUpTo(browser, Duration.ofSeconds(20));
        browser.get(RestAssured.baseURI + ":" + RestAssured.port + "/");
        wait.until(b -> b.findElement(By.id("health")).getText().startsWith("UP"));

        HeadlessChromium.submit(browser, "calculate 6 * 7 and then calculate 1 / 0");
        wait.until(b -> b.findElement(By.id("run-status")).getText().equals("failed"));
        String source = browser.findElement(By.id("run-id")).getText();
        assertThat(step(2).getAttribute("data-status")).isEqualTo("failed");
        assertThat(browser.findElement(By.id("fork")).isDisplayed()).isFalse();

        step(2).findElement(By.cssSelector(".fork-button")).click();
        wait.until(b -> b.findElement(By.id("fork")).isDisplayed());
        assertThat(browser.findElement(By.id("fork-step")).getText()).isEqualTo("#2");
        assertThat(input().getAttribute("value")).as("the step's recorded input").contains("\"1 / 0\"");

        // Not JSON: refused in the page, with the reason; nothing reaches the server.
        typeInput("{\"expression\": ");
        browser.findElement(By.id("fork-submit")).click();
        wait.until(b -> b.findElement(By.id("fork-error")).isDisplayed());
        assertThat(browser.findElement(By.id("fork-error")).getText()).startsWith("Not sent: the input is not valid "
                + "JSON (");
        assertThat(browser.findElement(By.id("run-id")).getText()).isEqualTo(source);
        forksOf(source, 0);

        // JSON the tool's schema refuses: the server's 422 is shown in the form, and no fork exists.
        typeInput("{\"formula\": \"1 + 1\"}");
        browser.findElement(By.id("fork-submit")).click();
        wait.until(b -> b.findElement(By.id("fork-error")).getText().startsWith("Not forked (422): "));
        assertThat(browser.findElement(By.id("fork")).isDisplayed()).isTrue();
        forksOf(source, 0);

        // The edited input uses the first step's output, which the fork reuses.
        typeInput("{\"expression\": \"{{steps.1.output}} + 1\"}");
        browser.findElement(By.id("fork-reason")).sendKeys("add one instead of dividing by zero");
        browser.findElement(By.id("fork-submit")).click();
        wait.until(b -> !b.findElement(By.id("run-id")).getText().equals(source)
                && b.findElement(By.id("run-status")).getText().equals("completed"));
        String fork = browser.findElement(By.id("run-id")).getText();
        assertThat(browser.findElement(By.id("run-result")).getText()).isEqualTo("43");
        assertThat(browser.findElement(By.id("fork")).isDisplayed()).isFalse();
        assertThat(step(1).getText()).contains("reused").contains("42");
        assertThat(step(2).getText()).doesNotContain("reused").contains("43");
        WebElement from = browser.findElement(By.id("run-forked-from"));
        assertThat(from.isDisplayed()).isTrue();
        assertThat(from.getText()).isEqualTo(source + " at step 2 — add one instead of dividing by zero");
        Path forkShot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(forkShot, Path.of("target", "console-fork.png"), StandardCopyOption.REPLACE_EXISTING);

        // Both ways: the fork links to its source, whose page lists the fork, which opens again.
        from.findElement(By.cssSelector("a.run-link")).click();
        wait.until(b -> b.findElement(By.id("run-id")).getText().equals(source));
        wait.until(b -> b.findElement(By.id("run-forks")).isDisplayed());
        assertThat(browser.findElement(By.id("run-forked-from")).isDisplayed()).isFalse();
        WebElement listed = browser.findElement(By.cssSelector("#run-forks a.run-link[data-run-id='" + fork + "']"));
        assertThat(browser.findElement(By.id("run-forks")).getText()).contains(fork).contains("completed")
                .contains("from step 2");
        Path sourceShot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(sourceShot, Path.of("target", "console-fork-source.png"), StandardCopyOption.REPLACE_EXISTING);
        listed.click();
        wait.until(b -> b.findElement(By.id("run-id")).getText().equals(fork));
        assertThat(browser.findElement(By.id("run-forks")).isDisplayed()).as("a fork of nothing yet").isFalse();

        // Only an ended run offers the action: not while it runs, and once it is cancelled.
        HeadlessChromium.submit(browser, "wait 20 seconds then calculate 1 + 1");
        wait.until(b -> b.findElement(By.id("run-status")).getText().equals("running"));
        assertThat(browser.findElements(By.cssSelector("#steps .fork-button"))).isEmpty();
        browser.findElement(By.id("cancel")).click();
        wait.until(b -> b.findElement(By.id("run-status")).getText().equals("cancelled")
                && b.findElements(By.cssSelector("#steps .fork-button")).size() == 2);
    }

    private static WebElement step(int number) {
        return browser.findElement(By.cssSelector("#steps li[data-step='" + number + "']"));
    }

    private static WebElement input() {
        return browser.findElement(By.id("fork-input"));
    }

    private static void typeInput(String text) {
        input().clear();
        input().sendKeys(text);
    }

    /** The source's forks as the API lists them: the page's refusals made none. */
    private static void forksOf(String runId, int count) {
        given().get("/api/v1/runs/" + runId + "/forks").then().statusCode(200).body("$", hasSize(count));
    }
}
