package io.meridian.cli;

import io.meridian.api.AuditJson;
import io.meridian.config.ConfigLoader;
import io.meridian.engine.Decision;
import io.meridian.engine.Engine;
import io.meridian.engine.Intent;
import io.meridian.engine.Outcome;
import io.meridian.engine.Request;
import io.meridian.health.Observation;
import io.meridian.testing.ConfigDir;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dry-run drain of a service that declares a load prints where its load would go, against each region's capacity,
 * and the readiness of the regions that would get more traffic; a change they are not ready for is refused unless forced.
 */
class CapacityPreviewTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final String REGION = "name: %s\npriority: %d\ncapacity: %d\nendpoints:\n  - {address: 127.0.%d.1, port: 8081, check: web}\n";

    @TempDir
    Path dir;

    private Engine engine;
    private Instant now = T0;

    private void start() throws Exception {
        engine = new Engine(ConfigLoader.load(ConfigDir.base()
                .with("meridian.yaml", """
                        vantage: us-east
                        dns: {zone: example.test}
                        health: {min-hold: 0s, startup-wait: 0s}
                        services:
                          - {name: cap.example.test, policy: failover, regions: [us-east, eu-west, ap-south], load: 100}
                        """)
                .with("regions/us-east.yaml", REGION.formatted("us-east", 1, 100, 1))
                .with("regions/eu-west.yaml", REGION.formatted("eu-west", 2, 60, 2))
                .with("regions/ap-south.yaml", REGION.formatted("ap-south", 3, 60, 3))
                .writeTo(dir)), T0);
        for (int i = 0; i < 3; i++) {
            now = T0.plusSeconds(i);
            for (int n = 1; n <= 3; n++) {
                engine.observe(Observation.success("%s/127.0.%d.1:8081".formatted(new String[] {"us-east", "eu-west", "ap-south"}[n - 1], n),
                        "us-east", Duration.ofMillis(5), now));
            }
            Decision d = engine.tick(now);
            engine.applied(d.plan().actions(), now);
        }
        assertThat(engine.published().get("cap.example.test").describe()).startsWith("us-east[");
    }

    /** Submits {@code intent} and returns what the CLI prints of the answer. */
    private String submit(Intent intent, boolean force, boolean dryRun) {
        Outcome o = engine.submit(new Request(intent, "alice", "patching", force), now, dryRun);
        StringWriter out = new StringWriter();
        ChangeCommand.print(new JsonObject().put("accepted", o.accepted()).put("message", o.message()).put("plan", AuditJson.plan(o.plan()))
                .put("readiness", AuditJson.readiness(o.readiness())), new PrintWriter(out), dryRun ? "would" : "applied");
        if (!dryRun) {
            Decision d = engine.tick(now);
            engine.applied(d.plan().actions(), now);
        }
        return out.toString();
    }

    private static Intent drain(String region) {
        return new Intent.Drain(region, Optional.empty(), Optional.empty());
    }

    @Test
    void aDrainDryRunPrintsTheLoadEachRegionWouldGetAgainstItsCapacityAndItsReadiness() throws Exception {
        start();
        assertThat(submit(drain("us-east"), false, true)).startsWith("dry run: drained us-east").contains(
                "DRAIN cap.example.test -> eu-west(w60)[127.0.2.1] ap-south(w40)[127.0.3.1]",
                "    load 100: eu-west 60 of 60, ap-south 40 of 60",
                "  readiness of the regions that would get more traffic:",
                "    ready     cap.example.test -> eu-west: endpoints up: 1/1 endpoints up; capacity 60 of its limit 60 (capacity 60)",
                "    ready     cap.example.test -> ap-south: endpoints up: 1/1 endpoints up; capacity 40 of its limit 60 (capacity 60)");
    }

    @Test
    void aFailbackDryRunShowsTheMoveBackAndTheReadinessOfTheRegionItReturnsTo() throws Exception {
        start();
        assertThat(submit(new Intent.Failover("cap.example.test", "eu-west", Optional.empty()), true, false))
                .startsWith("done: cap.example.test fails over to eu-west by hand (forced)");
        assertThat(engine.published().get("cap.example.test").describe()).isEqualTo("eu-west[127.0.2.1]");
        assertThat(submit(new Intent.Failback("cap.example.test"), false, true)).startsWith("dry run: failing back cap.example.test now")
                .contains("    ready     cap.example.test -> us-east: endpoints up: 1/1 endpoints up; capacity 100 of its limit 100 (capacity 100)",
                        "cap.example.test -> us-east[127.0.1.1]");
    }

    @Test
    void aPlannedChangeToARegionThatCannotCarryTheLoadIsRefusedUnlessForced() throws Exception {
        start();
        assertThat(submit(drain("ap-south"), false, false)).startsWith("done: drained ap-south");
        String refused = submit(drain("us-east"), false, true);
        assertThat(refused).startsWith("refused: drain of us-east refused: not ready: cap.example.test eu-west capacity "
                + "(100 of its limit 60 (capacity 60)) (force it to go anyway)")
                .contains("    NOT READY cap.example.test -> eu-west: capacity 100 of its limit 60 (capacity 60)");
        assertThat(engine.drainedFor("cap.example.test")).containsExactly("ap-south");

        assertThat(submit(new Intent.Failover("cap.example.test", "ap-south", Optional.empty()), false, true))
                .startsWith("refused: failover of cap.example.test to ap-south refused: ap-south is drained");
        assertThat(submit(new Intent.Failover("cap.example.test", "eu-west", Optional.empty()), false, true))
                .startsWith("refused: failover of cap.example.test to eu-west refused: not ready: cap.example.test eu-west capacity");

        assertThat(submit(drain("us-east"), true, false)).startsWith("done: drained us-east for every service (forced)")
                .contains("NOT READY cap.example.test -> eu-west: capacity");
        assertThat(engine.published().get("cap.example.test").describe()).isEqualTo("eu-west[127.0.2.1]");
        assertThat(engine.published().get("cap.example.test").load().unplaced()).isEqualTo(40.0);
    }
}
