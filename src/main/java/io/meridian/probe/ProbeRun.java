package io.meridian.probe;

import io.meridian.clock.Clock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;

/**
 * One probe in flight: measures latency from its start and races the outcome against the hard
 * timeout. Whichever comes first wins ({@code tryComplete}); the loser is ignored and the
 * {@code onTimeout} hook releases the connection.
 */
public final class ProbeRun {

    private final Vertx vertx;
    private final Clock clock;
    private final ProbeTarget target;
    private final long startNanos;
    private final Promise<ProbeResult> promise = Promise.promise();
    private final long timerId;
    private Runnable onTimeout = () -> { };

    public ProbeRun(Vertx vertx, Clock clock, ProbeTarget target) {
        this.vertx = vertx;
        this.clock = clock;
        this.target = target;
        this.startNanos = clock.monotonicNanos();
        Duration timeout = target.check().timeout();
        this.timerId = vertx.setTimer(timeout.toMillis(), id -> {
            if (promise.tryComplete(ProbeResult.failure(target, FailureReason.TIMEOUT,
                    "no answer within " + timeout.toMillis() + " ms", elapsed(), clock.wallTime()))) {
                onTimeout.run();
            }
        });
    }

    /** What to do to abandon the probe when the timeout wins (close the socket, reset the request). */
    public void onTimeout(Runnable hook) {
        this.onTimeout = hook;
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

    private void finish(ProbeResult result) {
        if (promise.tryComplete(result)) {
            vertx.cancelTimer(timerId);
        }
    }

    private Duration elapsed() {
        return Duration.ofNanos(clock.monotonicNanos() - startNanos);
    }
}
