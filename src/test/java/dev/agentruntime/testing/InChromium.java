package dev.agentruntime.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.WebDriver;

import java.io.IOException;

/**
 * A test class whose tests drive one headless Chromium ({@link HeadlessChromium}), started before its first test and
 * quit after its last: the browser tests of the console and of Swagger UI extend it.
 */
public abstract class InChromium {

    /** The class's browser, while its tests run (they run one after another). */
    protected static WebDriver browser;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
    }
}
