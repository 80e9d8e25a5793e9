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

/** A dry-run drain of a service that declares a load prints where its load would go, against each region's capacity. */
class CapacityPreviewTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final String REGION = "name: %s\npriority: %d\ncapacity: %d\nendpoints:\n  - {address: 127.0.%d.1, port: 8081, check: web}\n";

    @TempDir
    Path dir;

    @Test
    void aDrainDryRunPrintsTheLoadEachRegionWouldGetAgainstItsCapacity() throws Exception {
        Engine engine = new Engine(ConfigLoader.load(ConfigDir.base()
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
        Instant now = T0;
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

        Outcome o = engine.submit(new Request(new Intent.Drain("us-east", Optional.empty(), Optional.empty()), "alice", "patching", false),
                now, true);
        StringWriter out = new StringWriter();
        ChangeCommand.print(new JsonObject().put("accepted", o.accepted()).put("message", o.message()).put("plan", AuditJson.plan(o.plan())),
                new PrintWriter(out), "would");
        assertThat(out.toString()).contains("DRAIN cap.example.test -> eu-west(w60)[127.0.2.1] ap-south(w40)[127.0.3.1]",
                "    load 100: eu-west 60 of 60, ap-south 40 of 60");
    }
}
