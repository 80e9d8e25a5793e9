package io.meridian.health;

import io.meridian.config.HealthSettings;
import io.meridian.config.Quorum;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HealthBookTest {

    private static final List<String> VANTAGES = List.of("us", "eu", "ap");
    private Instant now = Instant.parse("2030-01-01T00:00:00Z");

    private HealthBook book(Quorum quorum, Duration minHold, List<String> targets, CheckRules rules) {
        HealthSettings s = new HealthSettings(VANTAGES, quorum, Duration.ofSeconds(10), 0.9, minHold, 16, 0.5);
        List<HealthBook.TargetSpec> specs = new ArrayList<>();
        targets.forEach(t -> specs.add(new HealthBook.TargetSpec(t, t.substring(0, t.indexOf('/')), rules)));
        return new HealthBook(s, specs, now);
    }

    private HealthBook book() {
        return book(Quorum.majority(), Duration.ZERO, List.of("r1/a", "r1/b", "r2/c"), CheckRules.of(1, 2));
    }

    private void report(HealthBook b, String target, String vantage, boolean ok, int times) {
        for (int i = 0; i < times; i++) {
            b.observe(ok ? Observation.success(target, vantage, Duration.ofMillis(5), now)
                    : Observation.failure(target, vantage, Duration.ofMillis(1), "connect_refused", "refused", now));
        }
    }

    private void allUp(HealthBook b) {
        for (String t : List.of("r1/a", "r1/b", "r2/c")) {
            for (String v : VANTAGES) {
                report(b, t, v, true, 1);
            }
        }
    }

    @Test
    void aTargetGoesDownOnlyWhenAQuorumOfVantagesAgrees() {
        HealthBook b = book();
        allUp(b);
        b.evaluate(now);
        report(b, "r1/a", "us", false, 2);
        assertThat(b.evaluate(now)).isEmpty();
        assertThat(b.verdict("r1/a").state()).isEqualTo(TargetState.UP);
        report(b, "r1/a", "eu", false, 2);
        List<HealthChange> changes = b.evaluate(now);
        assertThat(b.verdict("r1/a").state()).isEqualTo(TargetState.DOWN);
        assertThat(changes).singleElement().satisfies(c -> assertThat(c.message()).isEqualTo(
                "target r1/a UP -> DOWN by 2 down, 1 up, 0 degraded of 3 fresh vantages (quorum 2 of 3): "
                        + "us: 2x connect_refused; eu: 2x connect_refused"));
    }

    @Test
    void staleReportsDoNotVote() {
        HealthBook b = book();
        allUp(b);
        b.evaluate(now);
        report(b, "r1/a", "us", false, 2);
        now = now.plusSeconds(11);
        report(b, "r1/a", "eu", false, 2);
        b.evaluate(now);
        assertThat(b.verdict("r1/a").state()).as("us's failures are 11 s old, staleness is 10 s").isEqualTo(TargetState.UP);
        assertThat(b.verdict("r1/a").votes()).hasToString("1 down, 0 up, 0 degraded of 1 fresh vantage (quorum 2 of 3)");
    }

    @Test
    void aVantageThatSeesEverythingDownWhileOthersDoNotIsSetAside() {
        HealthBook b = book(new Quorum(Quorum.Kind.ANY, 0), Duration.ZERO, List.of("r1/a", "r1/b", "r2/c"), CheckRules.of(1, 2));
        allUp(b);
        b.evaluate(now);
        for (String t : List.of("r1/a", "r1/b", "r2/c")) {
            report(b, t, "ap", false, 2);
            report(b, t, "us", true, 1);
            report(b, t, "eu", true, 1);
        }
        List<HealthChange> first = b.evaluate(now);
        assertThat(first).extracting(HealthChange::kind).as("with quorum any, the first look takes ap's word")
                .contains(HealthChange.Kind.TARGET_STATE);
        now = now.plus(Partitions.CONFIRM);
        for (String t : List.of("r1/a", "r1/b", "r2/c")) {
            report(b, t, "us", true, 1);
            report(b, t, "eu", true, 1);
        }
        List<HealthChange> later = b.evaluate(now);
        assertThat(b.partitionedVantages()).containsExactly("ap");
        assertThat(later).extracting(HealthChange::kind).contains(HealthChange.Kind.VANTAGE_PARTITIONED);
        b.evaluate(now);
        assertThat(b.verdicts().values()).as("from the next evaluation on, ap does not vote")
                .allSatisfy(v -> assertThat(v.state()).isEqualTo(TargetState.UP));
    }

    @Test
    void aVantageIsNotBlamedWhenEveryVantageSeesTheOutage() {
        HealthBook b = book();
        allUp(b);
        for (String t : List.of("r1/a", "r1/b", "r2/c")) {
            for (String v : VANTAGES) {
                report(b, t, v, false, 2);
            }
        }
        b.evaluate(now);
        now = now.plusSeconds(5);
        b.evaluate(now);
        assertThat(b.partitionedVantages()).isEmpty();
        assertThat(b.verdicts().values()).allSatisfy(v -> assertThat(v.state()).isEqualTo(TargetState.DOWN));
    }

    @Test
    void minHoldDelaysComingBackButNeverGoingDown() {
        HealthBook b = book(Quorum.majority(), Duration.ofSeconds(5), List.of("r1/a", "r1/b", "r2/c"), CheckRules.of(1, 1));
        allUp(b);
        b.evaluate(now);
        now = now.plusSeconds(1);
        report(b, "r1/a", "us", false, 1);
        report(b, "r1/a", "eu", false, 1);
        b.evaluate(now);
        assertThat(b.verdict("r1/a").state()).as("going down is never delayed").isEqualTo(TargetState.DOWN);
        now = now.plusSeconds(1);
        report(b, "r1/a", "us", true, 1);
        report(b, "r1/a", "eu", true, 1);
        b.evaluate(now);
        assertThat(b.verdict("r1/a").state()).as("1 s after going down, min-hold 5 s").isEqualTo(TargetState.DOWN);
        now = now.plusSeconds(4);
        report(b, "r1/a", "us", true, 1);
        report(b, "r1/a", "eu", true, 1);
        b.evaluate(now);
        assertThat(b.verdict("r1/a").state()).isEqualTo(TargetState.UP);
    }

    @Test
    void slowTargetsBecomeDegradedAfterTheirOwnFallAndRecoverAfterTheirOwnRise() {
        CheckRules rules = new CheckRules(1, 2, Optional.of(Duration.ofMillis(100)), 2, 3);
        HealthBook b = book(Quorum.majority(), Duration.ZERO, List.of("r1/a"), rules);
        for (int i = 0; i < 3; i++) {
            for (String v : VANTAGES) {
                b.observe(Observation.success("r1/a", v, Duration.ofMillis(250), now));
            }
            b.evaluate(now);
            assertThat(b.verdict("r1/a").state()).isEqualTo(i < 2 ? TargetState.UP : TargetState.DEGRADED);
        }
        assertThat(b.latencyByVantage(List.of("r1/a"))).containsEntry("us", 250.0).containsEntry("ap", 250.0);
        for (int i = 0; i < 2; i++) {
            for (String v : VANTAGES) {
                b.observe(Observation.success("r1/a", v, Duration.ofMillis(10), now));
            }
            b.evaluate(now);
        }
        assertThat(b.verdict("r1/a").state()).isEqualTo(TargetState.UP);
        assertThat(b.latencyPercentiles(List.of("r1/a"), 0.5, 0.95)).containsExactly(250.0, 250.0);
    }

    @Test
    void observationsFromUnknownVantagesOrTargetsChangeNothing() {
        HealthBook b = book();
        b.observe(Observation.failure("r1/a", "mars", Duration.ZERO, "timeout", "x", now));
        b.observe(Observation.failure("r9/z", "us", Duration.ZERO, "timeout", "x", now));
        assertThat(b.ignored()).isEqualTo(2);
        assertThat(b.evaluate(now)).isEmpty();
    }

    @Test
    void aLocalErrorIsNoEvidenceAgainstTheTargetAndSetsTheVantageAsideUntilTheHoldPasses() {
        HealthBook b = book();
        allUp(b);
        b.evaluate(now);
        assertThat(b.localError("us", "Too many open files", now)).isTrue();
        assertThat(b.localError("us", "Too many open files", now)).as("already impaired").isFalse();
        assertThat(b.evaluate(now)).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(HealthChange.Kind.VANTAGE_IMPAIRED);
            assertThat(c.message()).contains("Too many open files");
        });
        assertThat(b.view("r1/a", "us").orElseThrow().state()).as("no view moved").isEqualTo(TargetState.UP);
        // While impaired, even its real failures do not count: with eu agreeing, us would have made a quorum.
        report(b, "r1/a", "us", false, 2);
        report(b, "r1/a", "eu", false, 2);
        assertThat(b.evaluate(now)).isEmpty();
        assertThat(b.verdict("r1/a").state()).isEqualTo(TargetState.UP);
        now = now.plus(Impairments.LOCAL_ERROR_HOLD).minusMillis(1);
        allUp(b);
        assertThat(b.evaluate(now)).isEmpty();
        now = now.plusMillis(1);
        assertThat(b.evaluate(now)).extracting(HealthChange::kind).containsExactly(HealthChange.Kind.VANTAGE_RECOVERED);
        assertThat(b.impairedVantages()).isEmpty();
    }

    @Test
    void aSingleImpairedVantageFreezesEveryVerdict() {
        HealthSettings s = new HealthSettings(List.of("us"), Quorum.majority(), Duration.ofSeconds(10), 0.9, Duration.ZERO, 16, 0.5);
        HealthBook b = new HealthBook(s, List.of(new HealthBook.TargetSpec("r1/a", "r1", CheckRules.of(1, 2))), now);
        b.observe(Observation.success("r1/a", "us", Duration.ofMillis(3), now));
        b.evaluate(now);
        b.localError("us", "no ephemeral port", now);
        report(b, "r1/a", "us", false, 3);
        assertThat(b.evaluate(now)).extracting(HealthChange::kind).containsExactly(HealthChange.Kind.VANTAGE_IMPAIRED);
        assertThat(b.verdict("r1/a").state()).isEqualTo(TargetState.UP);
    }
}
