package io.meridian.api;

import io.meridian.testing.RedisServer;
import io.meridian.testing.Chromium;
import io.meridian.testing.RunningDaemon;
import io.meridian.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in Debian's headless Chromium, driven through Debian's chromedriver (nothing is
 * downloaded), against a whole daemon with demo backends. Every test saves a full-page screenshot
 * under {@code target/ui-screenshots/}, and checks that the browser logged no error (a CSP violation
 * is one).
 */
class DashboardIT {

    private static final String APP = "app.example.test";
    private static final Path SHOTS = Path.of("target/ui-screenshots");

    @TempDir
    static Path profile;

    @TempDir
    Path dir;

    private static ChromeDriver browser;
    private RunningDaemon d;
    private String test;
    /** A test that stops the daemon expects the page's requests to fail meanwhile. */
    private boolean daemonStopped;

    @BeforeAll
    static void browser() throws Exception {
        Files.createDirectories(SHOTS);
        browser = Chromium.start(profile);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void start(TestInfo info) throws Exception {
        test = info.getTestMethod().orElseThrow().getName();
        d = RunningDaemon.start(dir);
        await().atMost(Duration.ofSeconds(10)).until(() -> d.engineRegionUp("us-east") && d.engineRegionUp("eu-west")
                && d.answer(APP, false).get(0).startsWith("127.0.1."));
        browser.manage().window().setSize(new Dimension(1440, 900));
        browser.get(d.apiUrl() + "/ui/");
        browser.executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        browser.manage().logs().get(LogType.BROWSER); // what an earlier page logged is not this test's
    }

    @AfterEach
    void stop() throws Exception {
        try {
            screenshot(test);
            List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()).map(LogEntry::getMessage)
                    // Chromium logs every 4xx answer; the page handles those (a refused token, a 409): not errors of the page.
                    .filter(m -> !m.matches(".*Failed to load resource: the server responded with a status of 4\\d\\d.*"))
                    .filter(m -> !(daemonStopped && m.contains("Failed to load resource: net::ERR_"))).toList();
            if (!errors.isEmpty()) {
                Files.writeString(SHOTS.resolve(test + ".html"), browser.getPageSource());
            }
            String closed = errors.isEmpty() || daemonStopped ? "" : d.call("GET", "/metrics", null, null).body().lines()
                    .filter(l -> l.startsWith("meridian_api_connections")).toList().toString();
            assertThat(errors).as("browser console errors (CSP violations among them) " + closed).isEmpty();
        } finally {
            browser.executeScript("sessionStorage.clear()");
            browser.get("about:blank");
            d.close();
        }
    }

    /** A full-page screenshot: the window is made as tall as the page for it. */
    private void screenshot(String name) throws Exception {
        Dimension was = browser.manage().window().getSize();
        long height = (Long) ((JavascriptExecutor) browser).executeScript("return Math.max(document.body.scrollHeight, 900)");
        browser.manage().window().setSize(new Dimension(was.getWidth(), (int) Math.min(height + 120, 6000)));
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        browser.manage().window().setSize(was);
    }

    /** Clicks what {@code by} finds; found and clicked again if a redraw made it stale in between. */
    private void click(By by) {
        waiting().until(b -> {
            b.findElement(by).click();
            return true;
        });
    }

    private WebDriverWait waiting() {
        // The page draws its tables again on every update: an element may go stale between find and read.
        return (WebDriverWait) new WebDriverWait(browser, Duration.ofSeconds(10), Duration.ofMillis(100))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    private void signIn(String token) {
        waiting().until(b -> b.findElement(By.id("token")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("signin-button")).click();
    }

    /** The text of what {@code css} finds; found again if a redraw made it stale between find and read. */
    private String text(String css) {
        for (int attempt = 1; ; attempt++) {
            try {
                return browser.findElement(By.cssSelector(css)).getText();
            } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
                if (attempt == 5) {
                    throw redrawn;
                }
            }
        }
    }

    private void demo(String action) throws Exception {
        assertThat(d.call("POST", "/demo/regions/us-east/" + action, null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aWrongTokenIsRefusedAndSignOutForgetsTheToken() {
        signIn("not-a-token");
        waiting().until(b -> b.findElement(By.id("signin-error")).getText().contains("not accepted"));
        assertThat(browser.findElement(By.id("app")).isDisplayed()).isFalse();
        assertThat(browser.executeScript("return sessionStorage.getItem('meridian.token')")).isNull();

        signIn(TestTokens.OPERATOR);
        waiting().until(b -> b.findElement(By.id("app")).isDisplayed());
        assertThat(text("#who")).isEqualTo("otto (operator)");
        assertThat(browser.getCurrentUrl()).doesNotContain(TestTokens.OPERATOR);
        waiting().until(b -> text("#services").contains(APP));
        browser.findElement(By.id("signout")).click();
        waiting().until(b -> b.findElement(By.id("signin")).isDisplayed());
        assertThat(browser.executeScript("return sessionStorage.getItem('meridian.token')")).isNull();
    }

    @Test
    void aFailedRegionShowsInTheMatrixTheAnswersAndTheTimelineWithoutAReload() throws Exception {
        signIn(TestTokens.VIEWER);
        waiting().until(b -> text("#bar #stream").equals("live") && text("[data-region=us-east] h3").contains("IN SERVICE"));
        Object marker = browser.executeScript("window.notReloaded = true; return 1");
        assertThat(marker).isEqualTo(1L);
        demo("fail");
        waiting().until(b -> text("[data-region=us-east] h3").contains("OUT OF SERVICE"));
        waiting().until(b -> text("[data-service='" + APP + "'] .answers").startsWith("eu-west"));
        waiting().until(b -> text("#events").contains("FAILOVER") && text("#events").contains("region us-east is now DOWN"));
        assertThat(browser.findElements(By.cssSelector("[data-region=us-east] .state.down"))).hasSizeGreaterThanOrEqualTo(2);
        // The latency charts (uPlot) draw every region from /v1/history.
        waiting().until(b -> b.findElements(By.cssSelector("#charts [data-chart=us-east] canvas")).size() == 1
                && b.findElements(By.cssSelector("#charts [data-chart=eu-west] canvas")).size() == 1);
        assertThat(text("#charts")).contains("p50 from us-east").contains("p95 from us-east");
        assertThat(browser.executeScript("return window.notReloaded === true")).as("the page was not reloaded").isEqualTo(true);
        demo("restore");
    }

    @Test
    void aDrainIsPreviewedThenConfirmedWithAReasonAndMovesTheDnsAnswer() throws Exception {
        signIn(TestTokens.OPERATOR);
        WebElement drain = waiting().until(b -> b.findElement(By.cssSelector("[data-region=us-east] button[data-action=drain]")));
        drain.click();
        waiting().until(b -> b.findElement(By.id("preview")).isDisplayed());
        assertThat(text("#preview-title")).isEqualTo("Preview: Drain us-east");
        assertThat(text("#preview-plan")).contains(APP).contains("DRAIN").contains("eu-west[127.0.2.1, 127.0.2.2]");
        assertThat(d.answer(APP, false)).as("a preview changes nothing").allMatch(a -> a.startsWith("127.0.1."));

        browser.findElement(By.id("preview-confirm")).click();
        waiting().until(b -> text("#flash").contains("Say why"));
        browser.findElement(By.id("preview-reason")).sendKeys("maintenance of us-east");
        browser.findElement(By.id("preview-confirm")).click();
        waiting().until(b -> text("#flash").contains("done"));
        await().atMost(Duration.ofSeconds(5)).until(() -> d.answer(APP, false).equals(List.of("127.0.2.1", "127.0.2.2")));
        waiting().until(b -> text("[data-region=us-east] h3").contains("drained")
                && text("#events").contains("maintenance of us-east"));
        assertThat(d.json("GET", "/v1/events?kind=OPERATOR", TestTokens.VIEWER, null).encode())
                .contains("maintenance of us-east").contains("otto");
    }

    @Test
    void aManualFailoverAndItsFailbackAreTakenFromThePageAndAnEndpointGetsItsOwnChart() throws Exception {
        signIn(TestTokens.OPERATOR);
        click(By.cssSelector("[data-service='" + APP + "'] button[data-action=failover]"));
        waiting().until(b -> b.findElement(By.id("preview")).isDisplayed());
        assertThat(text("#preview-title")).isEqualTo("Preview: Fail " + APP + " over to eu-west");
        assertThat(text("#preview-plan")).contains("MANUAL").contains("eu-west[127.0.2.1, 127.0.2.2]");
        browser.findElement(By.id("preview-reason")).sendKeys("us-east database maintenance");
        browser.findElement(By.id("preview-confirm")).click();
        waiting().until(b -> text("#flash").contains("done"));
        await().atMost(Duration.ofSeconds(5)).until(() -> d.answer(APP, false).equals(List.of("127.0.2.1", "127.0.2.2")));
        waiting().until(b -> text("[data-service='" + APP + "']").contains("pinned to eu-west"));

        click(By.cssSelector("[data-service='" + APP + "'] button[data-action=failback]"));
        waiting().until(b -> text("#preview-title").equals("Preview: Fail " + APP + " back"));
        browser.findElement(By.id("preview-reason")).sendKeys("maintenance over");
        browser.findElement(By.id("preview-confirm")).click();
        waiting().until(b -> text("#flash").contains("done"));
        await().atMost(Duration.ofSeconds(5)).until(() -> d.answer(APP, false).stream().allMatch(a -> a.startsWith("127.0.1.")));

        String endpoint = waiting().until(b -> b.findElement(By.cssSelector("[data-region=us-east] button[data-chart-endpoint]")))
                .getDomAttribute("data-chart-endpoint");
        click(By.cssSelector("[data-region=us-east] button[data-chart-endpoint='" + endpoint + "']"));
        waiting().until(b -> b.findElement(By.cssSelector("figure[data-chart-endpoint='" + endpoint + "'] canvas")).isDisplayed());
        assertThat(text("figure[data-chart-endpoint='" + endpoint + "'] figcaption")).contains(endpoint).contains("per vantage");
        assertThat(d.json("GET", "/v1/events?kind=OPERATOR", TestTokens.VIEWER, null).encode())
                .contains("us-east database maintenance").contains("maintenance over");
    }

    @Test
    void aDatabaseClusterShowsItsMembersAndASwitchoverFromThePageShowsItsSteps() throws Exception {
        try (RedisServer primary = RedisServer.primary("127.0.1.11"); RedisServer replica = RedisServer.replicaOf(primary, "127.0.2.11")) {
            d.close();
            io.meridian.replication.DatabaseFailoverIT.configure(dir, "redis", "1s", "rpo-bytes: 1048576\nrpo-lag: 5s", Map.of(
                    "us-east", List.of(primary.host() + ":" + primary.port()), "eu-west", List.of(replica.host() + ":" + replica.port())));
            d = RunningDaemon.start(dir);
            await().atMost(Duration.ofSeconds(10)).until(() -> d.engineRegionUp("us-east") && d.engineRegionUp("eu-west"));
            browser.get(d.apiUrl() + "/ui/"); // the new daemon's API listens on another port
            browser.manage().logs().get(LogType.BROWSER);
            signIn(TestTokens.OPERATOR);
            waiting().until(b -> b.findElements(By.cssSelector("[data-cluster=orders] tr[data-member]")).size() == 2
                    && text("[data-cluster=orders]").contains("PRIMARY") && text("[data-cluster=orders]").contains("REPLICA"));
            WebElement switchover = waiting().until(b -> b.findElement(By.cssSelector("[data-cluster=orders] button[data-action=db-switchover]")));
            String to = switchover.getDomAttribute("data-target");
            assertThat(to).contains("127.0.2.11");
            switchover.click();
            waiting().until(b -> b.findElement(By.id("preview")).isDisplayed());
            assertThat(text("#preview-title")).isEqualTo("Preview: Switch orders over to " + to);
            assertThat(text("#preview-steps")).contains("SWITCHOVER").contains("BLOCK_WRITES").contains("PROMOTE").contains("PUBLISH_WRITE_NAME");
            assertThat(primary.cli("ROLE")).as("a preview changes nothing").startsWith("master");
            browser.findElement(By.id("preview-reason")).sendKeys("move the primary to eu-west");
            browser.findElement(By.id("preview-confirm")).click();
            waiting().until(b -> text("#flash").contains("started"));
            new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(200)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(b -> text("[data-cluster=orders] .last-change").contains("done: " + to + " is the primary"));
            assertThat(text("[data-cluster=orders] .last-change")).contains("by otto").contains("move the primary to eu-west")
                    .contains("PROMOTE done").contains("PUBLISH_WRITE_NAME done");
            assertThat(primary.cli("ROLE")).as("the old primary follows the new one").startsWith("slave");
            screenshot(test + "-after");
        }
    }

    @Test
    void aStateThatMovedBetweenPreviewAndConfirmIsNotAppliedAndThePreviewIsRedone() throws Exception {
        signIn(TestTokens.OPERATOR);
        click(By.cssSelector("[data-region=us-east] button[data-action=drain]"));
        waiting().until(b -> b.findElement(By.id("preview")).isDisplayed());
        // Someone else pauses automation meanwhile: the drain would now wait for resume, so readiness refuses it.
        assertThat(d.call("POST", "/v1/pause", TestTokens.OPERATOR, "{\"reason\": \"someone else\"}").statusCode()).isEqualTo(200);
        browser.findElement(By.id("preview-reason")).sendKeys("maintenance");
        browser.findElement(By.id("preview-confirm")).click();
        waiting().until(b -> text("#flash").contains("the state changed since the preview, nothing was applied"));
        assertThat(text("#preview-message")).contains("The state changed since the last preview.");
        assertThat(text("#preview-message")).contains("Would be refused").contains("automation of " + APP + " is paused");
        assertThat(text("#preview-held")).contains("NOT READY: " + APP + " → eu-west, automation");
        assertThat(browser.findElement(By.id("preview-confirm")).isEnabled()).isFalse();
        assertThat(d.json("GET", "/v1/overrides", TestTokens.VIEWER, null).getJsonArray("overrides").encode()).doesNotContain("DRAIN");
        assertThat(d.answer(APP, false)).allMatch(a -> a.startsWith("127.0.1."));
    }

    @Test
    void aViewerSeesTheControlsDisabledWithTheRoleTheyNeed() throws Exception {
        signIn(TestTokens.VIEWER);
        waiting().until(b -> !b.findElements(By.cssSelector("button.action")).isEmpty());
        List<WebElement> buttons = browser.findElements(By.cssSelector("button.action"));
        assertThat(buttons).allSatisfy(b -> {
            assertThat(b.isEnabled()).isFalse();
            assertThat(b.getDomAttribute("title")).contains("needs the operator role (you are viewer)");
        });
        browser.manage().window().setSize(new Dimension(390, 844));
        screenshot(test + "-narrow");
    }

    @Test
    void aDaemonRestartedUnderAnOpenPageIsSeenLostThenTheStreamResumes() throws Exception {
        signIn(TestTokens.VIEWER);
        waiting().until(b -> text("#stream").equals("live"));
        int port = d.daemon.apiPort();
        daemonStopped = true;
        d.close();
        waiting().until(b -> text("#stream").startsWith("stream lost"));
        waiting().until(b -> b.findElement(By.id("stale")).isDisplayed());
        screenshot(test + "-lost");
        // The same daemon again, on the same API port, with the same journal.
        Path yaml = dir.resolve("meridian.yaml");
        Files.writeString(yaml, Files.readString(yaml).replaceFirst("listen: 127.0.0.1:0", "listen: 127.0.0.1:" + port));
        d = RunningDaemon.start(dir);
        new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(200)).until(b -> text("#stream").equals("live"));
        assertThat(d.call("POST", "/v1/pause", TestTokens.OPERATOR, "{\"reason\": \"after the restart\"}").statusCode()).isEqualTo(200);
        waiting().until(b -> text("#events").contains("after the restart"));
        waiting().until(b -> !b.findElement(By.id("stale")).isDisplayed());
    }

    @Test
    void pagesAndAnswersCarryStrictHeaders() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/ui/", "/ui/app.js", "/v1/status")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(d.apiUrl() + path))
                    .header("Authorization", "Bearer " + TestTokens.VIEWER).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(csp).as(path).contains("script-src 'self'").contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        }
        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(d.apiUrl() + "/v1/status"))
                .header("Authorization", "Bearer " + TestTokens.VIEWER).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(Files.readString(Path.of("src/main/resources/ui/render.js")) + Files.readString(Path.of("src/main/resources/ui/app.js")))
                .as("the DOM is built with textContent, never innerHTML").doesNotContain("innerHTML");
        signIn(TestTokens.VIEWER);
        waiting().until(b -> text("#services").contains(APP));
    }
}
