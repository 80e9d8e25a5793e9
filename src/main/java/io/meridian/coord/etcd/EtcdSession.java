package io.meridian.coord.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.meridian.clock.Clock;
import io.meridian.config.CoordinationConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The etcd client of one daemon and what its parts share: keys under the prefix, the lease (0 while
 * there is none), and how the store is doing. Every jetcd callback is brought back to the daemon's
 * event loop, and every request has a deadline: an etcd that does not answer is an error, not a hang.
 */
final class EtcdSession {

    final Vertx vertx;
    final Context context;
    final Clock clock;
    final CoordinationConfig config;
    final String vantage;
    final Client client;
    /**
     * Requests that take longer fail: a quarter of the lease (at least 1 s, a cold connection's first call
     * included), so a renewal can fail and be retried before the lease ends.
     */
    final Duration requestTimeout;
    long lease;
    private long lastOkNanos;
    private String lastError = "";

    EtcdSession(Vertx vertx, Context context, Clock clock, CoordinationConfig config, String vantage) {
        this.vertx = vertx;
        this.context = context;
        this.clock = clock;
        this.config = config;
        this.vantage = vantage;
        Duration quarter = config.leaseTtl().dividedBy(4);
        this.requestTimeout = quarter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : quarter;
        this.client = build(vertx, config, requestTimeout);
        this.lastOkNanos = clock.monotonicNanos();
    }

    private static Client build(Vertx vertx, CoordinationConfig config, Duration timeout) {
        ClientBuilder b = Client.builder().vertx(vertx).endpoints(config.endpoints().toArray(java.net.URI[]::new))
                .waitForReady(false).connectTimeout(timeout).retryMaxDuration(timeout).retryDelay(50).retryMaxDelay(200)
                .keepaliveTime(Duration.ofSeconds(5)).keepaliveTimeout(timeout);
        config.user().ifPresent(u -> b.user(bytes(u)).password(bytes(config.password().value())));
        config.tls().ifPresent(t -> {
            try {
                b.sslContext(s -> {
                    s.trustManager(t.ca().toFile());
                    t.cert().ifPresent(cert -> s.keyManager(cert.toFile(), t.key().map(java.nio.file.Path::toFile).orElse((File) null)));
                });
            } catch (javax.net.ssl.SSLException e) {
                throw new IllegalArgumentException("coordination.tls: " + e.getMessage(), e);
            }
        });
        return b.build();
    }

    ByteSequence key(String relative) {
        return bytes(config.prefix() + relative);
    }

    /** The key relative to the prefix. */
    String relative(ByteSequence key) {
        return key.toString(StandardCharsets.UTF_8).substring(config.prefix().length());
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static JsonObject json(ByteSequence value) {
        return new JsonObject(value.toString(StandardCharsets.UTF_8));
    }

    static ByteSequence bytes(JsonObject j) {
        return ByteSequence.from(j.encode(), StandardCharsets.UTF_8);
    }

    /** A jetcd call as a future completed on the daemon's event loop, within the request deadline; its outcome is noted. */
    <T> Future<T> call(CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, context).timeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .onSuccess(v -> ok()).onFailure(this::failed);
    }

    void ok() {
        lastOkNanos = clock.monotonicNanos();
        lastError = "";
    }

    void failed(Throwable err) {
        lastError = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    }

    /** Empty while etcd answered within the lease's time; else since when it has not, and why. */
    java.util.Optional<String> unavailable() {
        long silentMs = (clock.monotonicNanos() - lastOkNanos) / 1_000_000;
        if (silentMs < config.leaseTtl().toMillis() / 2 || lastError.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("etcd " + config.endpoints() + " has not answered for " + silentMs + " ms (" + lastError + ")");
    }

    /** Runs {@code task} on the daemon's event loop. */
    void onLoop(Runnable task) {
        context.runOnContext(v -> task.run());
    }
}
