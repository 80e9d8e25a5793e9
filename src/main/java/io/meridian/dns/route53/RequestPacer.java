package io.meridian.dns.route53;

import io.meridian.clock.Clock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Sends Route 53 requests no faster than a rate (Route 53 allows 5 requests/s per account) and
 * retries the ones Route 53 asks to retry — {@code Throttling}, {@code PriorRequestNotComplete},
 * 5xx — after a full-jitter exponential backoff. Every retry waits for its turn like a new request.
 * Lives on one Vert.x context; no locks.
 */
final class RequestPacer {

    private static final Set<String> RETRYABLE = Set.of("Throttling", "ThrottlingException", "PriorRequestNotComplete",
            "RequestThrottled", "ServiceUnavailable", "InternalFailure");

    private final Context context;
    private final Clock clock;
    private final long intervalNanos;
    private final int maxAttempts;
    private final long baseBackoffMillis;
    private final Random random;
    private long nextSlot;

    RequestPacer(Context context, Clock clock, double requestsPerSecond, int maxAttempts, long baseBackoffMillis, Random random) {
        this.context = context;
        this.clock = clock;
        this.intervalNanos = (long) (1_000_000_000L / requestsPerSecond);
        this.maxAttempts = maxAttempts;
        this.baseBackoffMillis = baseBackoffMillis;
        this.random = random;
        this.nextSlot = clock.monotonicNanos();
    }

    /** Runs {@code call} in its turn, retrying as Route 53 asks; {@code what} names it in errors. */
    <T> Future<T> send(String what, Supplier<CompletableFuture<T>> call) {
        Promise<T> result = Promise.promise();
        attempt(what, call, 1, result);
        return result.future();
    }

    private <T> void attempt(String what, Supplier<CompletableFuture<T>> call, int attempt, Promise<T> result) {
        long now = clock.monotonicNanos();
        long slot = Math.max(now, nextSlot);
        nextSlot = slot + intervalNanos;
        long waitMillis = (slot - now) / 1_000_000;
        Runnable send = () -> Future.fromCompletionStage(call.get(), context).onComplete(ar -> {
            if (ar.succeeded()) {
                result.complete(ar.result());
                return;
            }
            Throwable err = unwrap(ar.cause());
            if (retryable(err) && attempt < maxAttempts) {
                // Full jitter: anywhere in [0, base * 2^attempt), so daemons that were throttled together spread out.
                long backoff = (long) (random.nextDouble() * baseBackoffMillis * (1L << Math.min(attempt, 10)));
                context.owner().setTimer(Math.max(1, backoff), id -> attempt(what, call, attempt + 1, result));
            } else {
                result.fail(new IllegalStateException(what + " failed" + (attempt > 1 ? " after " + attempt + " attempts" : "")
                        + ": " + describe(err), err));
            }
        });
        if (waitMillis <= 0) {
            send.run();
        } else {
            context.owner().setTimer(waitMillis, id -> send.run());
        }
    }

    static boolean retryable(Throwable err) {
        return err instanceof AwsServiceException e
                && (e.statusCode() >= 500 || e.awsErrorDetails() != null && RETRYABLE.contains(e.awsErrorDetails().errorCode()));
    }

    static String describe(Throwable err) {
        if (err instanceof AwsServiceException e && e.awsErrorDetails() != null) {
            return e.awsErrorDetails().errorCode() + " (HTTP " + e.statusCode() + "): " + e.awsErrorDetails().errorMessage();
        }
        return err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    }

    private static Throwable unwrap(Throwable err) {
        while ((err instanceof java.util.concurrent.CompletionException || err instanceof java.util.concurrent.ExecutionException)
                && err.getCause() != null) {
            err = err.getCause();
        }
        return err;
    }
}
