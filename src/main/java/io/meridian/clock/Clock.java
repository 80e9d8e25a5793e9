package io.meridian.clock;

import java.time.Instant;

/**
 * The only source of time in Meridian. Nothing else calls {@code System.nanoTime()} or
 * {@code Instant.now()}, so that decisions can be replayed with a {@link ManualClock}.
 */
public interface Clock {

    /** Wall-clock time, for timestamps that operators read (API, logs, audit). */
    Instant wallTime();

    /** Monotonic nanoseconds, for durations, windows and hold times. Only differences mean anything. */
    long monotonicNanos();

    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
