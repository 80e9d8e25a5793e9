package io.meridian.ops;

import io.meridian.replication.DatabaseFailoverIT;
import io.meridian.testing.RunningDaemon;
import io.meridian.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The files operators install beside the daemon: the Prometheus alert rules pass {@code promtool check
 * rules}, and every Meridian metric that the rules and the Grafana dashboard name is one a running
 * daemon (with a database cluster configured) really exports.
 */
class OpsFilesIT {

    private static final Pattern METRIC = Pattern.compile("\\bmeridian_[a-z_]+");

    @TempDir
    Path dir;

    @Test
    void theAlertRulesPassPromtool() throws Exception {
        Process p = new ProcessBuilder("promtool", "check", "rules", "ops/prometheus/alerts.yaml").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("SUCCESS: 10 rules found");
    }

    @Test
    void everyMetricTheRulesAndTheDashboardNameIsExported() throws Exception {
        RunningDaemon.writeConfig(dir);
        for (String region : new String[] {"us-east", "eu-west"}) {
            Path f = dir.resolve("regions/" + region + ".yaml");
            String host = region.equals("us-east") ? "127.0.1.10" : "127.0.2.10";
            Files.writeString(f, Files.readString(f) + "databases:\n  - {cluster: orders, host: " + host + ", port: "
                    + RunningDaemon.freePort(host) + ", user: postgres}\n");
        }
        Path yaml = dir.resolve("meridian.yaml");
        // A declared load, for meridian_service_load_unplaced (no region declares a capacity: the answers do not change).
        Files.writeString(yaml, Files.readString(yaml).replace("    regions: [us-east, eu-west]\n", "    regions: [us-east, eu-west]\n    load: 10\n"));
        Files.writeString(yaml, Files.readString(yaml) + DatabaseFailoverIT.databases("postgres", "150ms", "rpo-bytes: 1048576\nrpo-lag: 5s"));
        Set<String> exported;
        try (RunningDaemon d = RunningDaemon.start(dir)) {
            // Counters and timers appear with their first event: wait for probes, a fail-open start and a publish.
            await().atMost(Duration.ofSeconds(15)).until(() -> d.answer("app.example.test", false).equals(List.of("127.0.1.1", "127.0.1.2")));
            String metrics = d.call("GET", "/metrics", TestTokens.VIEWER, null).body();
            exported = metrics.lines().filter(l -> !l.startsWith("#")).map(l -> l.replaceAll("[{ ].*", "")).collect(Collectors.toSet());
        }
        for (String file : new String[] {"ops/prometheus/alerts.yaml", "ops/grafana/meridian.json"}) {
            Set<String> named = new TreeSet<>();
            Matcher m = METRIC.matcher(Files.readString(Path.of(file)));
            while (m.find()) {
                named.add(m.group());
            }
            assertThat(named).as(file + " names metrics").isNotEmpty();
            // A histogram is named by its series (_bucket, _count, _sum); a counter by its _total.
            assertThat(named).as("metrics in " + file + " that the daemon does not export").allSatisfy(n ->
                    assertThat(exported).as(n).anyMatch(e -> e.equals(n) || e.equals(n + "_count")));
        }
    }
}
