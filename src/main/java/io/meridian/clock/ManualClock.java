package io.meridian.clock;

import java.time.Duration;
import java.time.Instant;

/** A clock that moves only when told to: for tests and the simulator (like Micrometer's MockClock). */
public final class ManualClock implements Clock {

    private Instant wall;
    private long nanos;

    public ManualClock(Instant start) {
        this.wall = start;
    }

    public static ManualClock startingAt(String isoInstant) {
        return new ManualClock(Instant.parse(isoInstant));
    }

    public ManualClock advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a clock never runs backwards (was asked to move " + d + ")");
        }
        wall = wall.plus(d);
        nanos += d.toNanos();
        return this;
    }

    @Override
    public Instant wallTime() {
        return wall;
    }

    @Override
    public long monotonicNanos() {
        return nanos;
    }
}
