package io.meridian.engine;

import io.meridian.config.ConfigLoader;
import io.meridian.config.MeridianConfig;
import io.meridian.sim.Scenario;
import io.meridian.sim.Simulator;
import io.meridian.testing.ConfigDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Rate limits, cooldown, failback, pause and drain, replayed through the real engine. */
class AutomationLimitsTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private MeridianConfig config(String automation) throws Exception {
        return ConfigLoader.load(ConfigDir.base().with("meridian.yaml", """
                vantage: us-east
                dns: {zone: example.test}
                health: {min-hold: 0s}
                automation: %s
                services:
                  - {name: app.example.test, policy: failover, regions: [us-east, eu-west]}
                  - {name: www.example.test, policy: weighted, regions: [us-east, eu-west]}
                """.formatted(automation)).writeTo(dir));
    }

    /** us-east goes down and comes back {@code times} times, 20 s apart. */
    private static List<Scenario.WorldChange> flips(int times) {
        List<Scenario.WorldChange> w = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            w.add(change(10 + 20 * i, false));
            w.add(change(20 + 20 * i, true));
        }
        return w;
    }

    private static Scenario.WorldChange change(int at, boolean ok) {
        return new Scenario.WorldChange(Duration.ofSeconds(at), Optional.of("us-east"), Optional.empty(), Optional.empty(),
                ok, ok ? "ok" : "connect_refused", Duration.ofMillis(ok ? 20 : 1));
    }

    private static List<Event> kind(Simulator.Result r, Event.Kind k, String service) {
        return r.events().stream().filter(e -> e.kind() == k && e.subject().equals(service)).toList();
    }

    @Test
    void automaticFailoversStopAtTheLimitPerWindow() throws Exception {
        MeridianConfig c = config("{max-failovers: 2, failover-window: 10m, cooldown: 0s, failback: 0s}");
        Simulator.Result r = Simulator.run(c, new Scenario("", Duration.ofSeconds(90), flips(4), List.of(), List.of()), 1);
        assertThat(kind(r, Event.Kind.FAILOVER, "app.example.test")).hasSize(2);
        assertThat(kind(r, Event.Kind.HELD, "app.example.test")).extracting(Event::message)
                .anySatisfy(m -> assertThat(m).contains("2 automatic failover(s) in the last 10m (max 2)"));
    }

    @Test
    void aCooldownHoldsTheNextFailoverUntilAcknowledged() throws Exception {
        MeridianConfig c = config("{max-failovers: 10, cooldown: 10m, failback: 0s}");
        Scenario noAck = new Scenario("", Duration.ofSeconds(60), flips(2), List.of(), List.of());
        Simulator.Result held = Simulator.run(c, noAck, 1);
        assertThat(kind(held, Event.Kind.FAILOVER, "app.example.test")).hasSize(1);
        assertThat(kind(held, Event.Kind.FAILBACK, "app.example.test")).as("the cooldown holds failback too").isEmpty();

        Scenario acked = new Scenario("", Duration.ofSeconds(60), flips(2),
                List.of(new Scenario.OperatorStep(Duration.ofSeconds(15), "ack app.example.test")), List.of());
        Simulator.Result r = Simulator.run(c, acked, 1);
        assertThat(kind(r, Event.Kind.FAILBACK, "app.example.test")).as("acknowledged at 15 s, back at 20 s").hasSize(1);
        assertThat(kind(r, Event.Kind.FAILOVER, "app.example.test")).as("the second outage at 30 s fails over again").hasSize(2);
    }

    @Test
    void manualFailbackNeverMovesTrafficBackOnItsOwn() throws Exception {
        MeridianConfig c = config("{cooldown: 0s, failback: manual}");
        Simulator.Result r = Simulator.run(c, new Scenario("", Duration.ofSeconds(60), flips(1), List.of(),
                List.of(new Scenario.Expectation(Duration.ofSeconds(60), "app.example.test", Optional.of(List.of("eu-west")), Optional.empty()))), 1);
        assertThat(r.failures()).isEmpty();
        assertThat(kind(r, Event.Kind.HELD, "app.example.test")).extracting(Event::message)
                .anySatisfy(m -> assertThat(m).contains("is manual"));
        assertThat(kind(r, Event.Kind.HELD, "www.example.test")).extracting(Event::message)
                .anySatisfy(m -> assertThat(m).contains("us-east returns only by hand"));
    }

    @Test
    void pausedAutomationShowsThePlanButAppliesNothing() throws Exception {
        MeridianConfig c = config("{cooldown: 0s, failback: 0s}");
        Scenario s = new Scenario("", Duration.ofSeconds(30), List.of(change(10, false)),
                List.of(new Scenario.OperatorStep(Duration.ofSeconds(5), "pause")),
                List.of(new Scenario.Expectation(Duration.ofSeconds(30), "app.example.test", Optional.of(List.of("us-east")), Optional.empty())));
        Simulator.Result r = Simulator.run(c, s, 1);
        assertThat(r.failures()).isEmpty();
        assertThat(kind(r, Event.Kind.PAUSED, "app.example.test")).extracting(Event::message)
                .anySatisfy(m -> assertThat(m).startsWith("automation paused, not applied: app.example.test:").contains("-> eu-west"));
    }

    @Test
    void aDrainedRegionGetsNoTrafficButStaysProbed() throws Exception {
        MeridianConfig c = config("{cooldown: 0s, failback: 0s}");
        Scenario s = new Scenario("", Duration.ofSeconds(40), List.of(),
                List.of(new Scenario.OperatorStep(Duration.ofSeconds(10), "drain us-east"),
                        new Scenario.OperatorStep(Duration.ofSeconds(30), "undrain us-east")),
                List.of(new Scenario.Expectation(Duration.ofSeconds(20), "app.example.test", Optional.of(List.of("eu-west")), Optional.of(false)),
                        new Scenario.Expectation(Duration.ofSeconds(20), "www.example.test", Optional.of(List.of("eu-west")), Optional.empty()),
                        new Scenario.Expectation(Duration.ofSeconds(40), "app.example.test", Optional.of(List.of("us-east")), Optional.empty())));
        Simulator.Result r = Simulator.run(c, s, 1);
        assertThat(r.failures()).isEmpty();
        assertThat(kind(r, Event.Kind.DRAIN, "app.example.test")).hasSize(1);
        assertThat(r.events()).filteredOn(e -> e.kind() == Event.Kind.TARGET_STATE && e.at().isAfter(START.plusSeconds(5))).isEmpty();
    }

    @Test
    void weightsMoveByAtMostTheStepPerTick() throws Exception {
        MeridianConfig c = config("{cooldown: 0s, failback: 0s, max-weight-step: 10}");
        Simulator.Result r = Simulator.run(c, new Scenario("", Duration.ofSeconds(40), flips(1), List.of(), List.of()), 1);
        List<String> steps = kind(r, Event.Kind.PUBLISH, "www.example.test").stream()
                .filter(e -> e.at().isAfter(START.plusSeconds(20))).map(Event::message).toList();
        assertThat(steps).hasSizeGreaterThanOrEqualTo(10).first().asString().contains("us-east 0->10 of 100");
    }
}
