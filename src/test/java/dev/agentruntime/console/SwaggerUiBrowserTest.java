package dev.agentruntime.console;

import dev.agentruntime.testing.HeadlessChromium;
import dev.agentruntime.testing.InChromium;
import dev.agentruntime.testing.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 27: Swagger UI, served on the management port, sends "Try it out" to the API port, which the document names
 * as its server and which admits that origin (CORS). Before, it sent to the management port and got 404. Saves
 * {@code target/swagger-ui.png}.
 */
@QuarkusTest
class SwaggerUiBrowserTest extends InChromium {

    /**
     * The API admits browsers from the management port (Swagger UI; like any page of this machine, which the MCP
     * edge admits too) and refuses other sites' pages.
     */
    @Test
    void theApiAdmitsSwaggerUiAndRefusesOtherSites() {
        RestAssured.given().header("Origin", "http://localhost:" + Management.port())
                .header("Access-Control-Request-Method", "POST").options("/api/v1/runs").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:" + Management.port());
        RestAssured.given().header("Origin", "https://elsewhere.example")
                .header("Access-Control-Request-Method", "POST").options("/api/v1/runs").then().statusCode(403)
                .header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void tryItOutOnTheHealthEndpointAnswers200() throws Exception {
        WebDriverWait wait = HeadlessChromium.waitUpTo(browser, Duration.ofSeconds(30));
        browser.get("http://localhost:" + Management.port() + "/q/swagger-ui/");
        wait.until(b -> !b.findElements(By.id("operations-Health-getHealth")).isEmpty());

        // The server is the API port; this test's app listens on its test port, so set it as a user would.
        WebElement port = browser.findElement(By.cssSelector(".servers table input[data-variable='port'], "
                + ".servers table tr:nth-of-type(2) input"));
        port.clear();
        port.sendKeys(Integer.toString(RestAssured.port));
        wait.until(b -> b.findElement(By.cssSelector(".servers")).getText()
                .contains("http://localhost:" + RestAssured.port));

        WebElement health = browser.findElement(By.id("operations-Health-getHealth"));
        health.findElement(By.cssSelector(".opblock-summary")).click();
        wait.until(b -> !health.findElements(By.cssSelector(".try-out__btn")).isEmpty());
        health.findElement(By.cssSelector(".try-out__btn")).click();
        wait.until(b -> !health.findElements(By.cssSelector(".execute")).isEmpty());
        health.findElement(By.cssSelector(".execute")).click();

        wait.until(b -> !health.findElements(By.cssSelector(".live-responses-table tbody .response-col_status")).isEmpty());
        String status = health.findElement(By.cssSelector(".live-responses-table tbody .response-col_status")).getText();
        String url = health.findElement(By.cssSelector(".request-url pre")).getText();
        String body = health.findElement(By.cssSelector(".live-responses-table tbody .response-col_description pre"))
                .getText();
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView(true);", health);
        Path screenshot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(screenshot, Path.of("target", "swagger-ui.png"), StandardCopyOption.REPLACE_EXISTING);

        assertThat(url).isEqualTo("http://localhost:" + RestAssured.port + "/api/v1/health");
        assertThat(status).startsWith("200");
        assertThat(body).contains("\"status\": \"UP\"");
    }
}
