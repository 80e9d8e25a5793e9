package io.meridian.health;

import io.meridian.clock.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class TargetHealthTest {

    private final ManualClock clock = ManualClock.startingAt("2026-01-01T00:00:00Z");
    private TargetHealth health = TargetHealth.initial("us-east/10.0.0.1:80", clock.wallTime());

    private Transition feed(boolean ok, int rise, int fall) {
        clock.advance(Duration.ofSeconds(1));
        Observation o = ok
                ? Observation.success(health.targetId(), "us-east", Duration.ofMillis(3), clock.wallTime())
                : Observation.failure(health.targetId(), "us-east", Duration.ofMillis(1), "connect_refused", "Connection refused", clock.wallTime());
        HealthStep step = health.observe(o, rise, fall);
        health = step.health();
        return step.transition();
    }

    /** A trace of results, e.g. "++-+", and the state after each one, e.g. "UU U U" as U/D/?. */
    @ParameterizedTest(name = "rise {1} fall {2}: {0}")
    @CsvSource({
            "++,      2, 2, ?U",
            "+-+,     2, 2, ???",
            "--,      2, 2, ?D",
            "++-,     2, 3, ?UU",
            "++---,   2, 3, ?UUUD",
            "++--+--, 2, 3, ?UUUUUU",
            "++---++, 2, 3, ?UUUDDU",
            "+,       1, 1, U",
            "-+,      1, 1, DU",
            "---+-++, 2, 2, ?DDDDDU",
    })
    void followsRiseAndFallHysteresis(String trace, int rise, int fall, String expected) {
        StringBuilder states = new StringBuilder();
        for (char c : trace.trim().toCharArray()) {
            feed(c == '+', rise, fall);
            states.append(switch (health.state()) {
                case UP -> 'U';
                case DOWN -> 'D';
                case UNKNOWN, DEGRADED -> '?';
            });
        }
        assertThat(states.toString()).isEqualTo(expected.trim());
    }

    @Test
    void startsUnknown() {
        assertThat(health.state()).isEqualTo(TargetState.UNKNOWN);
        assertThat(health.last()).isEmpty();
    }

    @Test
    void staysUpUntilThirdConsecutiveFailure() {
        feed(true, 1, 3);
        assertThat(feed(false, 1, 3).changed()).isFalse();
        assertThat(feed(false, 1, 3).changed()).isFalse();
        Transition t = feed(false, 1, 3);
        assertThat(t.changed()).isTrue();
        assertThat(t.from()).isEqualTo(TargetState.UP);
        assertThat(t.to()).isEqualTo(TargetState.DOWN);
        assertThat(t.reason()).isEqualTo("3 consecutive failures from us-east: connect_refused (Connection refused)");
    }

    @Test
    void recordsWhenTheStateChangedAndTheLastObservation() {
        feed(true, 2, 2);
        feed(true, 2, 2);
        var upSince = health.since();
        feed(true, 2, 2);
        assertThat(health.since()).isEqualTo(upSince).isEqualTo(clock.wallTime().minusSeconds(1));
        assertThat(health.last()).hasValueSatisfying(o -> assertThat(o.ok()).isTrue());
    }

    @Test
    void aSuccessResetsTheFailureRun() {
        feed(true, 1, 2);
        feed(false, 1, 2);
        feed(true, 1, 2);
        assertThat(health.failures()).isZero();
        assertThat(feed(false, 1, 2).changed()).isFalse();
        assertThat(health.state()).isEqualTo(TargetState.UP);
    }
}
