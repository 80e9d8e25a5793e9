package io.meridian.daemon;

import java.time.Duration;

/**
 * The DNS providers' failed attempts in a row and when to try again: 1 s, doubling, at most
 * {@link #MAX}. Each retry sends the latest plan, not a backlog. One thread.
 */
final class ProviderBackoff {

    /** Longest wait between two attempts at a failing DNS provider. */
    static final Duration MAX = Duration.ofSeconds(30);

    private int failures;
    private String error = "";
    private long retryAt;

    boolean due(long nanos) {
        return nanos >= retryAt;
    }

    /** Counts a failure at {@code nanos}; returns how long until the next attempt, in ms. */
    long failed(String why, long nanos) {
        failures++;
        error = why;
        long backoffMs = Math.min(MAX.toMillis(), 1000L << Math.min(failures - 1, 6));
        retryAt = nanos + backoffMs * 1_000_000;
        return backoffMs;
    }

    /** The providers took a change; returns the failures before it. */
    int succeeded() {
        int was = failures;
        failures = 0;
        error = "";
        retryAt = 0;
        return was;
    }

    /** Try at once next time (a new term). */
    void now() {
        retryAt = 0;
    }

    int failures() {
        return failures;
    }

    String error() {
        return error;
    }
}
