package io.meridian.engine;

import io.meridian.config.ConfigLoader;
import io.meridian.config.MeridianConfig;
import io.meridian.health.Observation;
import io.meridian.health.TargetState;
import io.meridian.plan.Action;
import io.meridian.testing.ConfigDir;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A reloaded configuration taken while running: what stays keeps its health, changes go through the plan. */
class ReconfigureTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final String APP = "app.example.test";
    private static final String WWW = "www.example.test";

    @TempDir
    Path dir;

    Engine engine;
    final List<Action> published = new ArrayList<>();
    long nowMs;

    private MeridianConfig config(int usEndpoints, boolean www, boolean euWest) throws IOException, Exception {
        if (Files.exists(dir.resolve("regions"))) {
            try (Stream<Path> files = Files.walk(dir.resolve("regions"))) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        StringBuilder us = new StringBuilder("name: us-east\npriority: 1\nendpoints:\n");
        for (int i = 1; i <= usEndpoints; i++) {
            us.append("  - {address: 127.0.1.").append(i).append(", port: 8081, check: web}\n");
        }
        String regions = euWest ? "[us-east, eu-west]" : "[us-east]";
        ConfigDir c = ConfigDir.base()
                .with("meridian.yaml", """
                        vantage: us-east
                        dns: {zone: example.test}
                        health: {min-hold: 0s, startup-wait: 0s}
                        automation: {failback: 0s, cooldown: 0s}
                        services:
                          - {name: app.example.test, policy: failover, regions: %s}
                        """.formatted(regions) + (www ? "  - {name: www.example.test, policy: weighted, regions: [us-east]}\n" : ""))
                .with("regions/us-east.yaml", us.toString())
                .with("healthchecks/web.yaml", "type: http\npath: /healthz\ninterval: 1s\ntimeout: 500ms\nrise: 2\n");
        if (!euWest) {
            c.without("regions/eu-west.yaml");
        }
        return ConfigLoader.load(c.writeTo(dir));
    }

    private void ok(String target) {
        engine.observe(Observation.success(target, "us-east", Duration.ofMillis(5), T0.plusMillis(nowMs)));
    }

    private void tick(long atMs) {
        nowMs = atMs;
        Instant now = T0.plusMillis(atMs);
        Decision d = engine.tick(now);
        published.addAll(d.plan().actions());
        engine.applied(d.plan().actions(), now);
    }

    private String answer(String service) {
        return engine.published().get(service).describe();
    }

    @BeforeEach
    void start() throws Exception {
        engine = new Engine(config(2, true, true), T0);
        for (long t : new long[] {100, 1100}) {
            nowMs = t;
            List.of("us-east/127.0.1.1:8081", "us-east/127.0.1.2:8081", "eu-west/127.0.2.1:8081").forEach(this::ok);
            tick(t);
        }
        assertThat(answer(APP)).isEqualTo("us-east[127.0.1.1, 127.0.1.2]");
        published.clear();
    }

    @Test
    void anAddedEndpointJoinsAfterRiseResultsAndTheOthersKeepTheirState() throws Exception {
        List<String> gone = engine.reconfigure(config(3, true, true), T0.plusMillis(1500));
        assertThat(gone).isEmpty();
        tick(1500);
        assertThat(published).as("nothing returns to UNKNOWN, nothing fails open, nothing moves").isEmpty();
        assertThat(engine.health().verdict("us-east/127.0.1.1:8081").state()).isEqualTo(TargetState.UP);
        assertThat(engine.health().verdict("us-east/127.0.1.3:8081").state()).isEqualTo(TargetState.UNKNOWN);

        nowMs = 1600;
        ok("us-east/127.0.1.3:8081");
        tick(1600);
        assertThat(published).as("one result of rise 2").isEmpty();
        nowMs = 2600;
        ok("us-east/127.0.1.3:8081");
        tick(2600);
        assertThat(answer(APP)).isEqualTo("us-east[127.0.1.1, 127.0.1.2, 127.0.1.3]");
        assertThat(published).extracting(a -> a.kind() + " " + a.service())
                .containsExactlyInAnyOrder("PUBLISH " + APP, "PUBLISH " + WWW);
    }

    @Test
    void aRemovedEndpointLeavesTheAnswerThroughThePlan() throws Exception {
        engine.reconfigure(config(1, true, true), T0.plusMillis(1500));
        tick(1500);
        assertThat(answer(APP)).isEqualTo("us-east[127.0.1.1]");
        assertThat(engine.health().has("us-east/127.0.1.2:8081")).isFalse();
    }

    @Test
    void aRemovedServiceIsReturnedForItsNameToBeWithdrawnAndARemovedRegionIsForgotten() throws Exception {
        List<String> gone = engine.reconfigure(config(2, false, false), T0.plusMillis(1500));
        assertThat(gone).containsExactly(WWW);
        tick(1500);
        assertThat(engine.published()).containsOnlyKeys(APP);
        assertThat(engine.regions()).containsOnlyKeys("us-east");
        assertThat(answer(APP)).isEqualTo("us-east[127.0.1.1, 127.0.1.2]");
    }

    @Test
    void aStandingDrainOfARegionTheConfigRemovesIsAProblemAndChangesNothing() throws Exception {
        ScriptedIntents.drain(engine, "eu-west", Optional.empty(), T0.plusMillis(1200));
        MeridianConfig next = config(2, true, false);
        assertThat(engine.reconfigureProblems(next)).singleElement().asString()
                .contains("drain of eu-west").contains("lift it first");
        assertThat(engine.config().regions()).hasSize(2);
    }
}
