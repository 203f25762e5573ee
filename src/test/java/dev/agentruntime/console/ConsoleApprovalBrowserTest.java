package dev.agentruntime.console;

import dev.agentruntime.testing.HeadlessChromium;
import dev.agentruntime.testing.InChromium;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console with todo steps needing approval: a paused run is listed under "Awaiting approval" and shows exactly
 * the call it would make; one run is approved and completes, another is rejected and ends so.
 */
@QuarkusTest
@TestProfile(ConsoleApprovalBrowserTest.TodosNeedApproval.class)
class ConsoleApprovalBrowserTest extends InChromium {

    public static class TodosNeedApproval implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agent.approval.tools", "todo_store");
        }
    }

    @Test
    void approveOneRunAndRejectAnother() throws Exception {
        WebDriverWait wait = HeadlessChromium.waitUpTo(browser, Duration.ofSeconds(20));
        browser.get(RestAssured.baseURI + ":" + RestAssured.port + "/");
        wait.until(b -> b.findElement(By.id("health")).getText().startsWith("UP"));

        submit("calculate 40 + 2 and add the result as a todo");
        wait.until(b -> b.findElement(By.id("run-status")).getText().equals("awaiting_approval")
                && b.findElement(By.id("approval")).isDisplayed());
        String approvedRun = browser.findElement(By.id("run-id")).getText();
        assertThat(browser.findElement(By.id("approval-tool")).getText()).isEqualTo("todo_store");
        assertThat(browser.findElement(By.id("approval-input")).getText()).contains("\"text\": \"42\"");
        wait.until(b -> !b.findElements(By.cssSelector("#approvals li[data-run-id='" + approvedRun + "']")).isEmpty());
        // The list of recent runs shows it paused too, not as it was when it was submitted.
        wait.until(b -> b.findElement(By.cssSelector("#runs li[data-run-id='" + approvedRun + "']")).getText()
                .contains("awaiting_approval"));
        browser.findElement(By.id("approve")).click();
        wait.until(b -> b.findElement(By.id("run-status")).getText().equals("completed"));
        assertThat(browser.findElement(By.id("approval")).isDisplayed()).isFalse();
        wait.until(b -> b.findElement(By.id("todos")).getText().contains("42"));
        wait.until(b -> b.findElements(By.cssSelector("#approvals li[data-run-id='" + approvedRun + "']")).isEmpty());

        submit("add todo to sell the house");
        wait.until(b -> b.findElement(By.id("run-status")).getText().equals("awaiting_approval")
                && b.findElement(By.id("approval")).isDisplayed());
        browser.findElement(By.id("approval-comment")).sendKeys("not without asking me");
        browser.findElement(By.id("reject")).click();
        wait.until(b -> b.findElement(By.id("run-status")).getText().equals("rejected"));
        assertThat(browser.findElement(By.id("run-error")).getText()).contains("not without asking me");
        assertThat(browser.findElement(By.id("todos")).getText()).doesNotContain("sell the house");

        // What the README shows (docs/console.png): a run paused for approval beside runs that ended either way.
        submit("calculate 100 / 4 and add the result as a todo");
        wait.until(b -> b.findElement(By.id("run-status")).getText().equals("awaiting_approval")
                && b.findElement(By.id("approval")).isDisplayed()
                && b.findElements(By.cssSelector("#approvals li[data-run-id]")).size() == 1);
        Path screenshot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(screenshot, Path.of("target", "console-approval.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void submit(String prompt) {
        HeadlessChromium.submit(browser, prompt);
    }
}
