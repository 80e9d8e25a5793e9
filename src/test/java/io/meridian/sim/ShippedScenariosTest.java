package io.meridian.sim;

import io.meridian.config.ConfigLoader;
import io.meridian.config.MeridianConfig;
import io.meridian.engine.Event;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every scenario in src/test/resources/scenarios passes its own expectations, and says what it should. */
class ShippedScenariosTest {

    private static final Path DIR = Path.of("src/test/resources/scenarios");
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static MeridianConfig config;

    @BeforeAll
    static void config() throws Exception {
        config = ConfigLoader.load(DIR.resolve("config"));
    }

    private static Simulator.Result run(String name) throws Exception {
        Simulator.Result r = Simulator.run(config, ScenarioLoader.load(DIR.resolve(name + ".yaml")), 1);
        assertThat(r.failures()).as(name + " expectations\n" + String.join("\n", r.timeline())).isEmpty();
        return r;
    }

    private static List<Event> after(Simulator.Result r, int seconds, Event.Kind kind) {
        return r.events().stream().filter(e -> e.kind() == kind && !e.at().isBefore(START.plusSeconds(seconds))).toList();
    }

    @Test
    void everyShippedScenarioMeetsItsExpectationsForSeveralSeeds() throws Exception {
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                for (long seed = 1; seed <= 5; seed++) {
                    Simulator.Result r = Simulator.run(config, ScenarioLoader.load(f), seed);
                    assertThat(r.failures()).as(f + " seed " + seed + "\n" + String.join("\n", r.timeline())).isEmpty();
                }
            }
        }
    }

    @Test
    void regionalOutageFailsOverWithinIntervalTimesFall() throws Exception {
        Simulator.Result r = run("regional-outage");
        Event failover = after(r, 10, Event.Kind.FAILOVER).get(0);
        assertThat(Duration.between(START.plusSeconds(10), failover.at())).isLessThanOrEqualTo(Duration.ofMillis(2500));
        assertThat(failover.message()).contains("us-east is down");
    }

    @Test
    void aDeadRegionsLoadFillsTheNextRegionUpToItsCapacityAndSpillsTheRest() throws Exception {
        Simulator.Result r = run("capacity-spill");
        Event failover = after(r, 10, Event.Kind.FAILOVER).stream().filter(e -> e.subject().equals("cap.sim.meridian.test")).findFirst()
                .orElseThrow();
        assertThat(failover.message()).contains("eu-west(w60)", "ap-south(w40)", "load 100: eu-west 60 of 60, ap-south 40 of 60");
        assertThat(after(r, 20, Event.Kind.CAPACITY)).extracting(Event::message)
                .anySatisfy(m -> assertThat(m).isEqualTo("cap.sim.meridian.test: load 100: eu-west 100 of 60 "
                        + "(40 of 100 has no home: every region in service is full)"))
                .anySatisfy(m -> assertThat(m).startsWith("cap.sim.meridian.test: every part of its load has a home again"));
        assertThat(after(r, 30, Event.Kind.HELD)).extracting(Event::message)
                .anySatisfy(m -> assertThat(m).startsWith("cap.sim.meridian.test: ap-south returns once it has been up for 30s"));
    }

    @Test
    void aPartitionedVantageMovesNothing() throws Exception {
        Simulator.Result r = run("vantage-partition");
        assertThat(after(r, 10, Event.Kind.VANTAGE_PARTITIONED)).extracting(Event::subject).containsExactly("ap-south");
        assertThat(after(r, 10, Event.Kind.FAILOVER)).isEmpty();
        assertThat(after(r, 10, Event.Kind.TARGET_STATE)).isEmpty();
        assertThat(after(r, 40, Event.Kind.VANTAGE_RESTORED)).extracting(Event::subject).containsExactly("ap-south");
    }

    @Test
    void aFlappingTargetChangesStateFarLessOftenThanItFlaps() throws Exception {
        Simulator.Result r = run("flapping-target");
        List<Event> changes = after(r, 10, Event.Kind.TARGET_STATE);
        assertThat(changes).allSatisfy(e -> assertThat(e.subject()).isEqualTo("us-east/127.0.1.1:80"));
        assertThat(changes).as("12 flaps").hasSizeLessThanOrEqualTo(6);
        assertThat(after(r, 10, Event.Kind.FAILOVER)).isEmpty();
    }

    @Test
    void aSlowRegionIsDegradedAndLosesWeightAndNearbyClients() throws Exception {
        Simulator.Result r = run("slow-region");
        assertThat(after(r, 20, Event.Kind.TARGET_STATE)).extracting(Event::message)
                .allSatisfy(m -> assertThat(m).contains("UP -> DEGRADED"));
        assertThat(after(r, 20, Event.Kind.PUBLISH)).extracting(Event::message)
                .anySatisfy(m -> assertThat(m).contains("us-east weight 25 (degraded, scaled from 50)"))
                .anySatisfy(m -> assertThat(m).contains("us-east -> eu-west"));
    }

    @Test
    void aTotalOutageFailsOpenInsteadOfAnsweringNothing() throws Exception {
        Simulator.Result r = run("total-outage");
        assertThat(after(r, 10, Event.Kind.FAIL_OPEN)).extracting(Event::subject)
                .contains("app.sim.meridian.test", "www.sim.meridian.test", "near.sim.meridian.test");
    }

    @Test
    void failbackWaitsForTheHoldPeriod() throws Exception {
        Simulator.Result r = run("failback");
        Event failback = after(r, 30, Event.Kind.FAILBACK).get(0);
        assertThat(failback.at()).isAfterOrEqualTo(START.plusSeconds(60));
        assertThat(r.events()).extracting(Event::kind).contains(Event.Kind.HELD);
    }

    @Test
    void theSafetyAssertionHoldsAndSaysWhy() throws Exception {
        Simulator.Result r = run("safety-assertion");
        assertThat(after(r, 20, Event.Kind.HELD)).extracting(Event::message)
                .anySatisfy(m -> assertThat(m).contains("min-regions-in-service is 2"));
    }
}
