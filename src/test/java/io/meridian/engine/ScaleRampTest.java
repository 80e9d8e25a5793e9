package io.meridian.engine;

import io.meridian.config.ConfigLoader;
import io.meridian.health.Observation;
import io.meridian.plan.ScaleRequests;
import io.meridian.policy.CapacityUse;
import io.meridian.policy.DesiredAnswers;
import io.meridian.testing.ConfigDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A drain towards a region that cannot carry the load yet asks its scale hook and ramps: the drained region keeps
 * what the other cannot carry, and hands it over as the other's reported capacity grows (by bounded steps), or all
 * at once at the hook's deadline. Reports of a region that is not ready refuse a planned change towards it.
 */
class ScaleRampTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final String SVC = "shop.example.test";

    @TempDir
    Path dir;

    private Engine engine;
    private Instant now = T0;

    private void start(String euWestExtra) throws Exception {
        engine = new Engine(ConfigLoader.load(ConfigDir.base()
                .with("meridian.yaml", """
                        vantage: us-east
                        dns: {zone: example.test}
                        health: {min-hold: 0s, startup-wait: 0s}
                        services:
                          - {name: shop.example.test, policy: failover, regions: [us-east, eu-west], load: 100}
                        """)
                .with("regions/us-east.yaml", "name: us-east\npriority: 1\ncapacity: 100\nendpoints:\n  - {address: 127.0.1.1, port: 8081, check: web}\n")
                .with("regions/eu-west.yaml", "name: eu-west\npriority: 2\ncapacity: 60\nendpoints:\n  - {address: 127.0.2.1, port: 8081, check: web}\n"
                        + euWestExtra)
                .writeTo(dir)), T0);
        for (int i = 0; i < 3; i++) {
            now = T0.plusSeconds(i);
            engine.observe(Observation.success("us-east/127.0.1.1:8081", "us-east", Duration.ofMillis(5), now));
            engine.observe(Observation.success("eu-west/127.0.2.1:8081", "us-east", Duration.ofMillis(5), now));
            tick();
        }
        assertThat(answer()).isEqualTo("us-east[127.0.1.1]");
    }

    private static final String HOOKED = """
            capacity-report: {url: "http://127.0.0.1:9/capacity", interval: 1s, timeout: 500ms, step: 0.25, floor: 0.25}
            scale-hook: {url: "http://127.0.0.1:9/scale", deadline: 2m}
            """;

    private void tick() {
        Decision d = engine.tick(now);
        engine.applied(d.plan().actions(), now);
    }

    private String answer() {
        return engine.published().get(SVC).describe();
    }

    private void report(String region, boolean ready, double capacity) {
        now = now.plusSeconds(1);
        engine.capacityReport(region, new CapacityUse.Report(true, ready, capacity, "capacity " + capacity, now));
        tick();
    }

    private Outcome drainUsEast(boolean dryRun) {
        Outcome o = engine.submit(new Request(new Intent.Drain("us-east", Optional.empty(), Optional.empty()), "alice", "patching", false),
                now, dryRun);
        if (!dryRun) {
            tick();
        }
        return o;
    }

    @Test
    void aDrainAsksTheScaleHookAndRampsAsTheReportedCapacityGrows() throws Exception {
        start(HOOKED);
        Outcome dry = drainUsEast(true);
        assertThat(dry.accepted()).as(dry.message()).isTrue();
        assertThat(dry.asks()).extracting(ScaleRequests.Ask::describe).containsExactly("eu-west to 100 (has 60, for shop.example.test)");
        assertThat(dry.readiness()).filteredOn(c -> c.name().equals("capacity")).singleElement()
                .satisfies(c -> assertThat(c.ok()).isTrue())
                .satisfies(c -> assertThat(c.detail()).contains("its scale hook is asked for 100 and the shift ramps as it grows"));
        assertThat(dry.message()).contains("ramps until " + now.plus(Duration.ofMinutes(2)) + " while eu-west scale up");
        assertThat(answer()).as("a dry run changes nothing").isEqualTo("us-east[127.0.1.1]");

        assertThat(drainUsEast(false).accepted()).isTrue();
        assertThat(answer()).as("us-east keeps what eu-west cannot carry yet").isEqualTo("us-east(w40)[127.0.1.1] eu-west(w60)[127.0.2.1]");
        report("eu-west", true, 100);
        assertThat(answer()).as("one step of 15 (0.25 x 60)").isEqualTo("us-east(w25)[127.0.1.1] eu-west(w75)[127.0.2.1]");
        report("eu-west", true, 100);
        assertThat(answer()).isEqualTo("us-east(w10)[127.0.1.1] eu-west(w90)[127.0.2.1]");
        report("eu-west", true, 100);
        assertThat(answer()).as("all of it moved once eu-west can carry it").isEqualTo("eu-west[127.0.2.1]");
        assertThat(engine.published().get(SVC).load().unplaced()).isZero();
    }

    @Test
    void theDrainCompletesAtTheDeadlineWhateverCapacityTheOtherHas() throws Exception {
        start(HOOKED);
        drainUsEast(false);
        assertThat(answer()).isEqualTo("us-east(w40)[127.0.1.1] eu-west(w60)[127.0.2.1]");
        now = now.plus(Duration.ofMinutes(1));
        tick();
        assertThat(answer()).as("before the deadline").isEqualTo("us-east(w40)[127.0.1.1] eu-west(w60)[127.0.2.1]");
        now = now.plus(Duration.ofMinutes(1));
        Decision d = engine.tick(now);
        assertThat(d.events()).extracting(Event::message).anyMatch(m -> m.startsWith("ramp over: the drain of us-east completes"));
        engine.applied(d.plan().actions(), now);
        assertThat(answer()).isEqualTo("eu-west[127.0.2.1]");
        assertThat(engine.published().get(SVC).load().unplaced()).isEqualTo(40.0);
    }

    @Test
    void withoutAScaleHookTheDrainIsRefusedForLackOfCapacityAsBefore() throws Exception {
        start("");
        Outcome o = drainUsEast(true);
        assertThat(o.accepted()).isFalse();
        assertThat(o.asks()).isEmpty();
        assertThat(o.message()).contains("eu-west capacity (100 of its limit 60 (capacity 60))");
    }

    @Test
    void aRegionReportingNotReadyIsRefusedTrafficByAPlannedChangeButStaysInService() throws Exception {
        start(HOOKED);
        report("eu-west", false, 0);
        assertThat(engine.capacityUse("eu-west")).get().satisfies(u -> {
            assertThat(u.ready()).isFalse();
            assertThat(u.used()).as("one step down, not to the floor at once").isEqualTo(45.0);
        });
        Outcome o = drainUsEast(true);
        assertThat(o.accepted()).isFalse();
        assertThat(o.message()).contains("eu-west reports ready (reports not ready");
        for (int i = 0; i < 5; i++) {
            report("eu-west", false, 0);
        }
        assertThat(engine.capacityUse("eu-west").get().used()).as("the floor: 0.25 x 60").isEqualTo(15.0);
        assertThat(engine.regions().get("eu-west").up()).isTrue();
    }

    @Test
    void aManualFailoverAsksTheScaleHookAndRampsTooThePinnedRegionFirst() throws Exception {
        start(HOOKED);
        Outcome o = engine.submit(new Request(new Intent.Failover(SVC, "eu-west", Optional.empty()), "alice", "region work", false), now, false);
        assertThat(o.accepted()).as(o.message()).isTrue();
        assertThat(o.asks()).extracting(ScaleRequests.Ask::region).containsExactly("eu-west");
        Decision d = engine.tick(now);
        assertThat(d.plan().actions()).singleElement().satisfies(a -> assertThat(a.kind()).isEqualTo(io.meridian.plan.Action.Kind.MANUAL));
        engine.applied(d.plan().actions(), now);
        DesiredAnswers a = engine.published().get(SVC);
        assertThat(a.describe()).isEqualTo("eu-west(w60)[127.0.2.1] us-east(w40)[127.0.1.1]");
        assertThat(a.reason()).contains("failed over by hand to eu-west by alice: region work (ramping while eu-west scales up)");
        report("eu-west", true, 100);
        assertThat(answer()).isEqualTo("eu-west(w75)[127.0.2.1] us-east(w25)[127.0.1.1]");
        now = now.plus(Duration.ofMinutes(2));
        tick();
        assertThat(answer()).as("at the deadline the failover completes").isEqualTo("eu-west[127.0.2.1]");
    }
}
