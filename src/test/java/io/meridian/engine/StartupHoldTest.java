package io.meridian.engine;

import io.meridian.config.ConfigLoader;
import io.meridian.config.MeridianConfig;
import io.meridian.health.Observation;
import io.meridian.plan.Action;
import io.meridian.plan.ServiceState;
import io.meridian.policy.AnswerSet;
import io.meridian.policy.DesiredAnswers;
import io.meridian.testing.ConfigDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The first seconds after a start: an UNKNOWN preferred region is neither up nor down. */
class StartupHoldTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final String APP = "app.example.test";
    private static final List<String> US = List.of("us-east/127.0.1.1:8081", "us-east/127.0.1.2:8081");
    private static final List<String> EU = List.of("eu-west/127.0.2.1:8081", "eu-west/127.0.2.2:8081");

    @TempDir
    Path dir;

    /** Two regions of two endpoints; the check has interval 1s and rise 2, so the default wait is 4s. */
    private MeridianConfig config(String health) throws Exception {
        return ConfigLoader.load(ConfigDir.base()
                .with("meridian.yaml", """
                        vantage: us-east
                        dns: {zone: example.test}
                        health: %s
                        automation: {failback: 0s, cooldown: 0s}
                        services:
                          - {name: app.example.test, policy: failover, regions: [us-east, eu-west]}
                          - {name: www.example.test, policy: weighted, regions: [us-east, eu-west]}
                        """.formatted(health))
                .with("regions/us-east.yaml", region("us-east", 1, 1))
                .with("regions/eu-west.yaml", region("eu-west", 2, 2))
                .with("healthchecks/web.yaml", "type: http\npath: /healthz\ninterval: 1s\ntimeout: 500ms\nrise: 2\n")
                .writeTo(dir));
    }

    private static String region(String name, int priority, int n) {
        return "name: " + name + "\npriority: " + priority + "\nendpoints:\n"
                + "  - {address: 127.0." + n + ".1, port: 8081, check: web}\n"
                + "  - {address: 127.0." + n + ".2, port: 8081, check: web}\n";
    }

    /** Runs the engine like the daemon does: tick, publish the plan, record it. */
    private static final class Run {
        final Engine engine;
        final List<Action> published = new ArrayList<>();
        final List<Event> events = new ArrayList<>();

        Run(MeridianConfig c) {
            engine = new Engine(c, T0);
        }

        void ok(List<String> targets, long atMs) {
            targets.forEach(t -> engine.observe(Observation.success(t, "us-east", Duration.ofMillis(5), T0.plusMillis(atMs))));
            tick(atMs);
        }

        void tick(long atMs) {
            Instant now = T0.plusMillis(atMs);
            Decision d = engine.tick(now);
            events.addAll(d.events());
            published.addAll(d.plan().actions());
            events.addAll(engine.applied(d.plan().actions(), now));
        }

        /** A start at 0 where eu-west's results come first: up (rise 2) at 1.1 s, us-east not heard from. */
        void euUpFirst() {
            tick(0);
            ok(EU, 100);
            ok(EU, 1100);
        }

        List<String> answers(String service) {
            return published.stream().filter(a -> a.service().equals(service)).map(a -> a.answers().describe()).toList();
        }
    }

    @Test
    void theFasterRegionDoesNotGetTrafficBeforeThePreferredOneIsKnown() throws Exception {
        Run r = new Run(config("{min-hold: 0s}"));
        r.tick(0);
        r.ok(EU, 100);
        r.ok(EU, 1100); // eu-west is up (rise 2); us-east has said nothing yet
        r.ok(List.of(US.get(0)), 1300);
        r.ok(List.of(US.get(0)), 2300); // one us-east endpoint up, the other still unknown
        r.ok(List.of(US.get(1)), 2400);
        r.ok(List.of(US.get(1)), 3400);
        r.tick(9000);

        assertThat(r.answers(APP)).as("one transition, from fail-open to the full answer")
                .containsExactly("*[127.0.1.1, 127.0.1.2, 127.0.2.1, 127.0.2.2]", "us-east[127.0.1.1, 127.0.1.2]");
        assertThat(r.published).filteredOn(a -> a.service().equals(APP)).extracting(Action::kind)
                .containsExactly(Action.Kind.PUBLISH, Action.Kind.PUBLISH);
        assertThat(r.answers("www.example.test")).as("weighted waits for every region")
                .containsExactly("*[127.0.1.1, 127.0.1.2, 127.0.2.1, 127.0.2.2]",
                        "us-east(w100)[127.0.1.1, 127.0.1.2] eu-west(w100)[127.0.2.1, 127.0.2.2]");
        assertThat(r.events).filteredOn(e -> e.kind() == Event.Kind.FAIL_OPEN && e.subject().equals(APP)).singleElement()
                .extracting(Event::message).asString()
                .contains("because start-up: serving every endpoint until the first results of us-east (2 of 2 not yet known), "
                        + "eu-west (2 of 2 not yet known) arrive (at most until 2030-01-01T00:00:04Z)");
        assertThat(r.engine.state(APP).failovers()).isEmpty();
    }

    @Test
    void theWaitIsTwoOfTheSlowestChecksIntervalTimesRiseUnlessSet() throws Exception {
        MeridianConfig c = config("{min-hold: 0s}");
        assertThat(c.health().startupWait(c.checksByName().values())).isEqualTo(Duration.ofSeconds(4));
        MeridianConfig set = config("{min-hold: 0s, startup-wait: 1500ms}");
        assertThat(set.health().startupWait(set.checksByName().values())).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void afterTheWaitThePolicyDecidesFromWhatIsKnownAndItIsNoFailover() throws Exception {
        Run r = new Run(config("{min-hold: 0s, startup-wait: 3s}"));
        r.euUpFirst();
        r.tick(2900);
        assertThat(r.answers(APP)).as("inside the wait").containsExactly("*[127.0.1.1, 127.0.1.2, 127.0.2.1, 127.0.2.2]");
        r.tick(3000);
        assertThat(r.answers(APP)).last().isEqualTo("eu-west[127.0.2.1, 127.0.2.2]");
        Action moved = r.published.stream().filter(a -> a.service().equals(APP)).reduce((a, b) -> b).orElseThrow();
        assertThat(moved.kind()).isEqualTo(Action.Kind.PUBLISH);
        assertThat(moved.reason()).contains("the start-up wait of 3s is over; no result yet from us-east (2 of 2 not yet known)")
                .contains("us-east is not yet known (0/2 endpoints up, 2 not yet known)");
        assertThat(r.engine.state(APP).failovers()).isEmpty();
    }

    @Test
    void aRestartKeepsWhatCoordinationSaysIsServedAndLeavingAnUnknownRegionIsNoFailover() throws Exception {
        Run r = new Run(config("{min-hold: 0s, startup-wait: 3s}"));
        DesiredAnswers served = new DesiredAnswers(APP, Duration.ofSeconds(30),
                List.of(new AnswerSet("us-east", 1, List.of("127.0.1.1", "127.0.1.2"))), false, "restored");
        r.engine.restoreStates(Map.of(APP, new ServiceState(Optional.of(served), List.of(), Optional.empty())));
        r.euUpFirst();
        r.tick(2000);
        assertThat(r.answers(APP)).as("us-east keeps serving while it is unknown").isEmpty();
        assertThat(r.events).filteredOn(e -> e.kind() == Event.Kind.HELD && e.subject().equals(APP)).singleElement()
                .extracting(Event::message).asString()
                .contains("start-up: keeping us-east[127.0.1.1, 127.0.1.2] until the first results of us-east (2 of 2 not yet known)");
        r.tick(3500);
        Action moved = r.published.stream().filter(a -> a.service().equals(APP)).findFirst().orElseThrow();
        assertThat(moved.answers().describe()).isEqualTo("eu-west[127.0.2.1, 127.0.2.2]");
        assertThat(moved.kind()).as("nothing failed: not counted against the failover limits").isEqualTo(Action.Kind.PUBLISH);
        assertThat(r.engine.state(APP).failovers()).isEmpty();
    }

    @Test
    void aRegionSeenDownIsDecidedAtOnce() throws Exception {
        Run r = new Run(config("{min-hold: 0s}"));
        r.euUpFirst();
        for (String t : US) {
            for (long at : new long[] {200, 1200, 2200}) {
                r.engine.observe(Observation.failure(t, "us-east", Duration.ofMillis(1), "connect_refused", "refused", T0.plusMillis(at)));
            }
        }
        r.tick(2300);
        assertThat(r.answers(APP)).as("us-east is down, not unknown: no wait")
                .containsExactly("*[127.0.1.1, 127.0.1.2, 127.0.2.1, 127.0.2.2]", "eu-west[127.0.2.1, 127.0.2.2]");
    }
}
