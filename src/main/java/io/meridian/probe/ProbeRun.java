package io.meridian.probe;

import io.meridian.clock.Clock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One probe in flight: measures latency from its start and races the outcome against the hard
 * timeout. Whichever comes first wins ({@code tryComplete}); the loser is ignored and the
 * {@code onTimeout} hook releases the connection.
 */
public final class ProbeRun {

    /** A timeout firing later than this (and than half the timeout) is blamed on this process, not the target. */
    static final Duration STALL_MIN = Duration.ofMillis(100);

    private final Vertx vertx;
    private final Clock clock;
    private final ProbeTarget target;
    private final long startNanos;
    private final Promise<ProbeResult> promise = Promise.promise();
    private final long timerId;
    private boolean connects;
    private Runnable onTimeout = () -> { };
    private final List<ProbeResult.Phase> phases = new ArrayList<>();

    public ProbeRun(Vertx vertx, Clock clock, ProbeTarget target) {
        this.vertx = vertx;
        this.clock = clock;
        this.target = target;
        this.startNanos = clock.monotonicNanos();
        Duration timeout = target.check().timeout();
        this.timerId = vertx.setTimer(timeout.toMillis(), id -> {
            // A connection that never came up is a black hole (or a firewall's drop), not a slow server.
            boolean neverConnected = connects && phases.isEmpty();
            Duration late = elapsed().minus(timeout);
            ProbeResult timedOut = stalled(timeout, late)
                    ? ProbeResult.failure(target, FailureReason.LOCAL_ERROR, "event loop stalled: the " + timeout.toMillis()
                    + " ms timeout fired " + late.toMillis() + " ms late, so the answer may have waited unread", elapsed(), clock.wallTime())
                    : neverConnected
                    ? ProbeResult.failure(target, FailureReason.CONNECT_TIMEOUT, "no connection within " + timeout.toMillis() + " ms", elapsed(), clock.wallTime())
                    : ProbeResult.failure(target, FailureReason.TIMEOUT, "no answer within " + timeout.toMillis() + " ms" + reached(), elapsed(), clock.wallTime());
            if (promise.tryComplete(timedOut.withPhases(phases))) {
                onTimeout.run();
            }
        });
    }

    /**
     * A timeout that fires much later than set means this process did not run (a stalled event loop,
     * a long GC pause): the target may have answered in time and nobody read it.
     */
    static boolean stalled(Duration timeout, Duration late) {
        return late.compareTo(STALL_MIN) > 0 && late.compareTo(timeout.dividedBy(2)) > 0;
    }

    /** What to do to abandon the probe when the timeout wins (close the socket, reset the request). */
    public void onTimeout(Runnable hook) {
        this.onTimeout = hook;
    }

    /** This probe opens a connection and will {@link #mark} {@code connect} (or {@code tls}) when it is up. */
    public ProbeRun connecting() {
        connects = true;
        return this;
    }

    /** Notes that the probe reached {@code phase} now (connect, tls, first_byte), for the result's breakdown. */
    public void mark(String phase) {
        if (!isDone()) {
            phases.add(new ProbeResult.Phase(phase, elapsed()));
        }
    }

    public boolean isDone() {
        return promise.future().isComplete();
    }

    public void succeed() {
        finish(ProbeResult.success(target, elapsed(), clock.wallTime()));
    }

    public void succeed(String note) {
        finish(ProbeResult.success(target, elapsed(), clock.wallTime(), note));
    }

    public void fail(FailureReason reason, String message) {
        finish(ProbeResult.failure(target, reason, message, elapsed(), clock.wallTime()));
    }

    public void fail(Throwable t) {
        fail(FailureClassifier.classify(t), FailureClassifier.message(t));
    }

    public Future<ProbeResult> future() {
        return promise.future();
    }

    /** For a timeout: how far the probe got, which tells a black hole from a frozen server. */
    private String reached() {
        return phases.isEmpty() ? "" : " (got to " + phases.get(phases.size() - 1).name() + ")";
    }

    private void finish(ProbeResult result) {
        if (promise.tryComplete(phases.isEmpty() ? result : result.withPhases(phases))) {
            vertx.cancelTimer(timerId);
        }
    }

    private Duration elapsed() {
        return Duration.ofNanos(clock.monotonicNanos() - startNanos);
    }
}
