package io.meridian.api;

import io.meridian.bench.ChildJvm;
import io.meridian.bench.TargetFarmMain;
import io.meridian.coord.VantageReport;
import io.meridian.replication.StepGate;
import io.meridian.testing.Chromium;
import io.meridian.testing.RunningDaemon;
import io.meridian.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard at 1,000 targets x 3 vantages in headless Chromium: the matrix of every endpoint draws
 * after sign-in, and the live refreshes that follow update it in place (every row is the same element
 * after 20 s of refreshes, its cells rewritten). Prints the time to the full matrix and the long tasks
 * (over 50 ms, by PerformanceObserver) of the refreshes: figures, not assertions; saves the first screen
 * under {@code target/ui-screenshots/}.
 */
class DashboardScaleIT {

    private static final int TARGETS = 1000;
    private static final List<String> REGIONS = List.of("us-east", "eu-west", "ap-south");

    @TempDir
    Path dir;

    @Test
    void aThousandTargetsDrawAndUpdateInPlace() throws Exception {
        int base = freeRange();
        Process farm = ChildJvm.start(List.of("-Xmx128m"), TargetFarmMain.class, "127.0.0.1", Integer.toString(base), Integer.toString(TARGETS));
        ChromeDriver browser = null;
        try (RunningDaemon d = RunningDaemon.inProcess(configure(base), StepGate.OPEN)) {
            // Two more vantages: this daemon's own report handed in again every 2 s, as the dashboard bench does.
            d.daemon.context().runOnContext(v -> d.vertx.setPeriodic(2000, id -> {
                VantageReport mine = d.daemon.controller().shared().report("");
                for (String other : List.of("v2", "v3")) {
                    d.daemon.controller().shared().onReport(other, Optional.of(new VantageReport(other, "", mine.targets())));
                }
            }));
            await().atMost(Duration.ofSeconds(30)).until(() -> d.engineRegionUp("us-east") && d.engineRegionUp("eu-west") && d.engineRegionUp("ap-south"));
            browser = Chromium.start(dir);
            browser.get(d.apiUrl() + "/ui/");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(20));
            wait.until(b -> b.findElement(By.id("token")).isDisplayed());
            browser.executeScript("window.__long = []; new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push(e.duration)))"
                    + ".observe({entryTypes: ['longtask']});");
            browser.findElement(By.id("token")).sendKeys(TestTokens.VIEWER);
            startProfile(browser);
            long t0 = System.nanoTime();
            browser.findElement(By.id("signin-button")).click();
            wait.until(b -> ((Number) ((ChromeDriver) b).executeScript("return document.querySelectorAll('tr[data-endpoint]').length")).intValue()
                    == TARGETS);
            long firstMs = (System.nanoTime() - t0) / 1_000_000;
            printProfile(browser, "sign-in");
            // Where the time went: the first /v1/status read from its request to its last byte, its parse, the drawing, the rest.
            Object statusMs = browser.executeScript("const s = performance.getEntriesByType('resource').find((r) => r.name.endsWith('/v1/status'));"
                    + "const m = (n) => performance.getEntriesByName('meridian:' + n)[0].startTime;"
                    + "return s ? `${Math.round(s.responseEnd - s.startTime)} ms from ${Math.round(s.startTime - m('signin'))} ms after the click;`"
                    + " + ` read ${Math.round(m('status-read') - s.responseEnd)} ms, drawn ${Math.round(m('drawn') - m('status-read'))} ms,`"
                    + " + ` seen by the test ${Math.round(performance.now() - m('drawn'))} ms after` : 'not read'");
            Thread.sleep(3000); // the first refreshes, the charts' first draw
            browser.executeScript("window.__long = []; document.querySelectorAll('tr[data-endpoint]').forEach((r) => { r.__seen = true; });"
                    + "window.__before = [...document.querySelectorAll('tr[data-endpoint] td')].map((c) => c.textContent).join('|');");
            startProfile(browser);
            Thread.sleep(20_000);
            printProfile(browser, "refreshes");
            @SuppressWarnings("unchecked")
            List<Number> longTasks = (List<Number>) browser.executeScript("return window.__long");
            long kept = (Long) browser.executeScript("return [...document.querySelectorAll('tr[data-endpoint]')].filter((r) => r.__seen).length");
            boolean changed = (Boolean) browser.executeScript(
                    "return window.__before !== [...document.querySelectorAll('tr[data-endpoint] td')].map((c) => c.textContent).join('|')");
            List<Double> ms = longTasks.stream().map(Number::doubleValue).sorted().toList();
            System.out.printf("DashboardScaleIT: %d targets x 3 vantages: full matrix %d ms after sign-in (the first /v1/status took %s);"
                            + " 20 s of live refreshes: %d long tasks (over 50 ms)%s%n", TARGETS, firstMs, statusMs, ms.size(),
                    ms.isEmpty() ? "" : String.format(", median %.0f ms, longest %.0f ms", ms.get(ms.size() / 2), ms.get(ms.size() - 1)));
            Files.createDirectories(Path.of("target/ui-screenshots"));
            Files.write(Path.of("target/ui-screenshots/aThousandTargets.png"), browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
            assertThat(changed).as("the refreshes rewrote cells (latencies move)").isTrue();
            assertThat(kept).as("every row updated in place, none drawn again").isEqualTo(TARGETS);
            List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()).map(LogEntry::getMessage)
                    .filter(m -> !m.matches(".*Failed to load resource: the server responded with a status of 4\\d\\d.*")).toList();
            String closed = d.call("GET", "/metrics", null, null).body().lines().filter(l -> l.startsWith("meridian_api_connections")).toList().toString();
            assertThat(errors).as("browser console errors " + closed).isEmpty();
        } finally {
            if (browser != null) {
                browser.quit();
            }
            farm.destroyForcibly().waitFor();
        }
    }


    /** With {@code -Dprofile=true}: samples the page's JavaScript (Chrome's profiler) until {@link #printProfile}. */
    private static void startProfile(ChromeDriver browser) {
        if (Boolean.getBoolean("profile")) {
            browser.executeCdpCommand("Profiler.enable", Map.of());
            browser.executeCdpCommand("Profiler.setSamplingInterval", Map.of("interval", 500));
            browser.executeCdpCommand("Profiler.start", Map.of());
            browser.executeCdpCommand("Performance.enable", Map.of("timeDomain", "threadTicks"));
            metricsBefore = metrics(browser);
        }
    }

    /** Where the page's time went since {@link #startProfile}: self time per function, the 15 largest. */
    private static void printProfile(ChromeDriver browser, String phase) {
        if (!Boolean.getBoolean("profile")) {
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> prof = (Map<String, Object>) browser.executeCdpCommand("Profiler.stop", Map.of()).get("profile");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) prof.get("nodes");
        @SuppressWarnings("unchecked")
        List<Number> samples = (List<Number>) prof.get("samples");
        @SuppressWarnings("unchecked")
        List<Number> deltas = (List<Number>) prof.get("timeDeltas");
        Map<Long, String> names = new java.util.HashMap<>();
        for (Map<String, Object> n : nodes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> f = (Map<String, Object>) n.get("callFrame");
            String url = String.valueOf(f.get("url"));
            names.put(((Number) n.get("id")).longValue(), f.get("functionName") + " " + url.substring(url.lastIndexOf('/') + 1) + ":" + f.get("lineNumber"));
        }
        Map<String, Double> self = new java.util.HashMap<>();
        for (int i = 0; i < samples.size(); i++) {
            self.merge(names.get(samples.get(i).longValue()), deltas.get(i).doubleValue() / 1000, Double::sum);
        }
        self.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(15)
                .forEach(e -> System.out.printf("PROFILE %s %8.1f ms  %s%n", phase, e.getValue(), e.getKey()));
        Map<String, Double> after = metrics(browser);
        System.out.printf("PROFILE %s renderer: %s%n", phase, String.join(", ", List.of("ScriptDuration", "RecalcStyleDuration", "LayoutDuration",
                "TaskDuration").stream().map(k -> String.format("%s %.0f ms", k, (after.get(k) - metricsBefore.getOrDefault(k, 0.0)) * 1000)).toList()));
    }

    private static Map<String, Double> metricsBefore = Map.of();

    /** Chrome's cumulative counters of the page's main thread (seconds for the durations). */
    private static Map<String, Double> metrics(ChromeDriver browser) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) browser.executeCdpCommand("Performance.getMetrics", Map.of()).get("metrics");
        Map<String, Double> out = new java.util.HashMap<>();
        list.forEach(m -> out.put((String) m.get("name"), ((Number) m.get("value")).doubleValue()));
        return out;
    }


    /** 1,000 targets in three regions on the farm's ports, seen from three vantages. */
    private Path configure(int base) throws Exception {
        Files.createDirectories(dir.resolve("regions"));
        Files.createDirectories(dir.resolve("healthchecks"));
        for (int r = 0; r < REGIONS.size(); r++) {
            StringBuilder b = new StringBuilder("name: " + REGIONS.get(r) + "\npriority: " + (r + 1) + "\nendpoints:\n");
            for (int i = r; i < TARGETS; i += REGIONS.size()) {
                b.append("  - {address: 127.0.0.1, port: ").append(base + i).append(", check: web}\n");
            }
            Files.writeString(dir.resolve("regions/" + REGIONS.get(r) + ".yaml"), b);
        }
        Files.writeString(dir.resolve("healthchecks/web.yaml"), "type: http\npath: /ok\ninterval: 1s\ntimeout: 500ms\nrise: 2\nfall: 2\n");
        Files.writeString(dir.resolve("tokens.yaml"), TestTokens.FILE);
        Files.writeString(dir.resolve("meridian.yaml"), """
                vantage: v1
                api: {listen: "127.0.0.1:0", tokens: tokens.yaml, state-dir: state}
                dns: {zone: example.test, listen: "127.0.0.1:0"}
                health: {vantages: [v1, v2, v3], quorum: majority, staleness: 10s, min-hold: 0s}
                services:
                  - {name: app.example.test, policy: failover, ttl: 5s, regions: [us-east, eu-west, ap-south]}
                  - {name: www.example.test, policy: weighted, ttl: 5s, regions: [us-east, eu-west, ap-south]}
                """);
        return dir;
    }

    /** A base port below the ephemeral range with the next 1,001 ports free (the farm also takes base - 1). */
    private static int freeRange() throws Exception {
        Random rnd = new Random();
        for (int attempt = 0; attempt < 20; attempt++) {
            int base = 15_000 + rnd.nextInt(12_000);
            if (free(base - 1) && free(base) && free(base + TARGETS / 2) && free(base + TARGETS - 1)) {
                return base;
            }
        }
        throw new IllegalStateException("no free range of " + TARGETS + " ports found");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (Exception taken) {
            return false;
        }
    }
}
