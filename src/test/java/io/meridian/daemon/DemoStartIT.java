package io.meridian.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code meridian demo} as an operator starts it, from the packaged jar on the project's own demo
 * configuration (on free ports): its log from the start through its first seconds holds no stack
 * trace, and each service moves once, from fail-open to its answer; SIGHUP reloads its configuration.
 */
class DemoStartIT {

    @TempDir
    Path dir;

    @Test
    void aDemoStartLogsNoStackTraceAndOneTransitionPerService() throws Exception {
        for (String sub : List.of("regions", "healthchecks")) {
            Files.createDirectories(dir.resolve(sub));
            try (Stream<Path> files = Files.list(Path.of(sub))) {
                for (Path f : files.toList()) {
                    Files.copy(f, dir.resolve(sub).resolve(f.getFileName()));
                }
            }
        }
        String yaml = Files.readString(Path.of("meridian.yaml"));
        assertThat(yaml).contains("listen: 127.0.0.1:5353", "listen: 127.0.0.1:8080");
        Files.writeString(dir.resolve("meridian.yaml"), yaml.replace("127.0.0.1:5353", "127.0.0.1:0").replace("127.0.0.1:8080", "127.0.0.1:0"));

        Path log = dir.resolve("demo.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String text;
        Process demo = new ProcessBuilder(java, "-Xmx256m", "-Djava.io.tmpdir=" + dir, "-jar",
                Path.of("target/meridian.jar").toAbsolutePath().toString(), "demo", "--config-dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // Bounded: the demo's checks settle within a few seconds; stop early once every service has moved.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
            while (System.nanoTime() < until && demo.isAlive() && transitions(log).size() < 6) {
                Thread.sleep(100);
            }
            Thread.sleep(1000); // and a second more, for anything a late first probe would log
            // SIGHUP reads the configuration again, as for any daemon; the process goes on.
            Path check = dir.resolve("healthchecks/http-health.yaml");
            Files.writeString(check, Files.readString(check).replace("interval: 1s", "interval: 2s"));
            new ProcessBuilder("kill", "-HUP", Long.toString(demo.pid())).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
            long reloadUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < reloadUntil && !Files.readString(log).contains("RELOAD by SIGHUP")) {
                Thread.sleep(100);
            }
            Thread.sleep(300);
            assertThat(demo.isAlive()).as("SIGHUP does not stop the daemon").isTrue();
            text = Files.readString(log); // the start, not the stop that follows
        } finally {
            demo.destroy();
            demo.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(text).as("the demo came up").contains("meridian up:");
        assertThat(text.lines().filter(l -> l.matches("^\\s+at [\\w.$]+\\(.*") || l.contains("Exception")).toList())
                .as("no stack trace in the demo's log").isEmpty();
        assertThat(text).contains("RELOAD by SIGHUP: 1 change(s): ~ check http-health: interval 1s -> 2s");
        List<String> moves = transitions(log);
        assertThat(moves).as("fail-open, then the answer, per service (3)").hasSize(6);
        assertThat(moves.get(0)).contains("FAIL_OPEN").contains("start-up: serving every endpoint");
        assertThat(moves.stream().filter(l -> l.contains("app.demo.meridian.test:"))).hasSize(2)
                .last().asString().contains("PUBLISH app.demo.meridian.test: *[").contains("-> us-east[127.0.1.1, 127.0.1.2]");
    }

    /** The log lines of published changes. */
    private static List<String> transitions(Path log) throws Exception {
        return Files.readString(log).lines().filter(l -> l.matches(".*Controller - (PUBLISH|FAIL_OPEN|FAILOVER|FAILBACK|DRAIN) .*")).toList();
    }
}
