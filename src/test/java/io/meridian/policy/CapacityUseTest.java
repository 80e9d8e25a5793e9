package io.meridian.policy;

import io.meridian.config.CapacityReportConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** What the plan uses of a region's reported capacity: bounded steps, a floor, not-ready reports, failed and stale reads. */
class CapacityUseTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final CapacityReportConfig C = new CapacityReportConfig(URI.create("http://127.0.0.1:9/"), Duration.ofSeconds(5),
            Duration.ofSeconds(1), 0.25, 0.25);

    private static CapacityUse.Report good(double capacity, int second) {
        return new CapacityUse.Report(true, true, capacity, "capacity " + capacity, T0.plusSeconds(second));
    }

    private static CapacityUse.Report failed(int second) {
        return new CapacityUse.Report(false, true, 0, "Connection refused", T0.plusSeconds(second));
    }

    @Test
    void reportsMoveWhatIsUsedByAtMostOneStepOfTheDeclaredCapacity() {
        CapacityUse u = CapacityUse.declared(100);
        u = u.next(good(400, 5), C);
        assertThat(u.used()).isEqualTo(125);
        assertThat(u.detail()).isEqualTo("reports 400; using 125 (at most 25 per report)");
        u = u.next(good(130, 10), C);
        assertThat(u.used()).isEqualTo(130);
        assertThat(u.detail()).isEqualTo("reports 130");
    }

    @Test
    void aReportOfZeroOrNotReadySinksToTheFloorAndNoLower() {
        CapacityUse u = CapacityUse.declared(100);
        for (int i = 1; i <= 10; i++) {
            u = u.next(good(0, 5 * i), C);
        }
        assertThat(u.used()).isEqualTo(25);
        assertThat(u.detail()).isEqualTo("reports 0; held at the floor 25 while its endpoints pass");
        CapacityUse notReady = CapacityUse.declared(100).next(new CapacityUse.Report(true, false, 80, "not ready", T0), C);
        assertThat(notReady.ready()).isFalse();
        assertThat(notReady.used()).isEqualTo(75);
    }

    @Test
    void aFailedReadKeepsWhatIsUsedUntilTheLastGoodReportIsStaleThenReturnsToTheDeclaredCapacity() {
        CapacityUse u = CapacityUse.declared(100).next(good(50, 0), C).next(good(50, 5), C);
        assertThat(u.used()).isEqualTo(50);
        u = u.next(failed(10), C);
        assertThat(u.used()).as("one failure is no news").isEqualTo(50);
        assertThat(u.detail()).startsWith("report failed: Connection refused; keeping 50");
        u = u.next(failed(20), C);
        assertThat(u.used()).as("15 s without a good report (3 intervals): back towards 100").isEqualTo(75);
        assertThat(u.ready()).isTrue();
        u = u.next(failed(25), C);
        assertThat(u.used()).isEqualTo(100);
    }

    @Test
    void whateverTheReportsWhatIsUsedStaysWithinTheFloorAndMovesWithinOneStep() {
        for (long seed = 1; seed <= 200; seed++) {
            Random rnd = new Random(seed);
            double declared = 1 + rnd.nextInt(1000);
            CapacityReportConfig c = new CapacityReportConfig(URI.create("http://127.0.0.1:9/"), Duration.ofSeconds(1), Duration.ofMillis(500),
                    0.05 + rnd.nextDouble(), rnd.nextDouble());
            CapacityUse u = CapacityUse.declared(declared);
            for (int i = 0; i < 200; i++) {
                double was = u.used();
                CapacityUse.Report r = rnd.nextInt(5) == 0 ? failed(i) : new CapacityUse.Report(true, rnd.nextInt(4) > 0,
                        rnd.nextDouble() * 3 * declared, "x", T0.plusSeconds(i));
                u = u.next(r, c);
                assertThat(u.used()).as("seed %d step %d", seed, i).isGreaterThanOrEqualTo(c.floor() * declared - 1e-9);
                if (was >= c.floor() * declared) {
                    assertThat(Math.abs(u.used() - was)).as("seed %d step %d", seed, i).isLessThanOrEqualTo(c.step() * declared + 1e-9);
                }
            }
            assertThat(u.declared()).isCloseTo(declared, within(0.0));
        }
    }
}
