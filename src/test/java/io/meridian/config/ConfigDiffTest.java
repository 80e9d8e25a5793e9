package io.meridian.config;

import io.meridian.testing.ConfigDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigDiffTest {

    @TempDir
    Path tmp;

    /** Always the same directory, as a reload reads it (paths in the config resolve against it). */
    private MeridianConfig load(ConfigDir dir, String ignored) throws Exception {
        Path at = tmp.resolve("config");
        if (Files.exists(at)) {
            try (var files = Files.walk(at)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return ConfigLoader.load(dir.writeTo(Files.createDirectories(at)));
    }

    @Test
    void theSameConfigChangesNothing() throws Exception {
        assertThat(ConfigDiff.between(load(ConfigDir.base(), "a"), load(ConfigDir.base(), "b")).empty()).isTrue();
    }

    @Test
    void endpointsChecksAndServicesAreListedAsAddedChangedAndRemoved() throws Exception {
        MeridianConfig was = load(ConfigDir.base(), "a");
        MeridianConfig now = load(ConfigDir.base()
                .with("regions/eu-west.yaml", """
                        name: eu-west
                        priority: 3
                        endpoints:
                          - address: 127.0.2.1
                            port: 8081
                            check: web
                          - address: 127.0.2.3
                            port: 443
                            check: web
                        """)
                .with("healthchecks/web.yaml", """
                        type: http
                        path: /healthz
                        interval: 2s
                        timeout: 500ms
                        """)
                .with("meridian.yaml", Files.readString(tmp.resolve("config/meridian.yaml"))
                        .replace("name: app.example.test", "name: new.example.test")
                        .replace("cooldown: 0s", "cooldown: 5m")), "b");
        ConfigDiff d = ConfigDiff.between(was, now);
        assertThat(d.needsRestart()).isEmpty();
        assertThat(d.changes()).containsExactlyInAnyOrder(
                "~ check web: interval 1s -> 2s",
                "~ region eu-west: priority 2 -> 3",
                "+ endpoint eu-west/127.0.2.3:443",
                "+ service new.example.test",
                "- service app.example.test",
                "~ automation: cooldown 0s -> 5m");
    }

    @Test
    void aRemovedRegionTakesItsEndpointsWithIt() throws Exception {
        MeridianConfig was = load(ConfigDir.base(), "a");
        MeridianConfig now = load(ConfigDir.base().without("regions/eu-west.yaml")
                .with("meridian.yaml", Files.readString(tmp.resolve("config/meridian.yaml")).replace("[us-east, eu-west]", "[us-east]")), "b");
        assertThat(ConfigDiff.between(was, now).changes()).containsExactlyInAnyOrder(
                "- region eu-west", "- endpoint eu-west/127.0.2.1:8081", "~ service app.example.test: regions [us-east, eu-west] -> [us-east]");
    }

    @Test
    void theListenAddressTheVantageAndCoordinationNeedARestart() throws Exception {
        MeridianConfig was = load(ConfigDir.base(), "a");
        String yaml = Files.readString(tmp.resolve("config/meridian.yaml"));
        MeridianConfig now = load(ConfigDir.base().with("meridian.yaml", yaml.replace("vantage: us-east", "vantage: eu-west")
                .replace("  zone: example.test\n  listen: 127.0.0.1:0", "  zone: example.test\n  listen: 127.0.0.1:5399")), "b");
        ConfigDiff d = ConfigDiff.between(was, now);
        assertThat(d.needsRestart()).containsExactly(
                "~ vantage: us-east -> eu-west needs a restart",
                "~ dns: listen 127.0.0.1:0 -> 127.0.0.1:5399 needs a restart",
                "~ health.vantages: [us-east] -> [eu-west] needs a restart");
    }

    @Test
    void aChangedTokenIsNamedButItsHashIsNotPrinted() throws Exception {
        MeridianConfig was = load(ConfigDir.base(), "a");
        String tokens = Files.readString(tmp.resolve("config/tokens.yaml"));
        String firstHash = tokens.replaceAll("(?s).*?sha256: ([0-9a-f]{64}).*", "$1");
        MeridianConfig now = load(ConfigDir.base().with("tokens.yaml", tokens.replace(firstHash, "0".repeat(64))), "b");
        ConfigDiff d = ConfigDiff.between(was, now);
        assertThat(d.changes()).hasSize(1);
        assertThat(d.changes().get(0)).startsWith("~ api token ").endsWith(": sha256 changed").doesNotContain(firstHash);
    }
}
