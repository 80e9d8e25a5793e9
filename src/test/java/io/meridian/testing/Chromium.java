package io.meridian.testing;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;

/** Debian's headless Chromium through Debian's chromedriver (nothing is downloaded), at 1440x900, keeping the browser log. */
public final class Chromium {

    private Chromium() {
    }

    /** @param profile a directory for the browser's profile (a test's own) */
    public static ChromeDriver start(Path profile) {
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1440,900",
                "--user-data-dir=" + profile.resolve("chromium"));
        o.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, o);
    }
}
