package io.meridian.probe.http;

import io.meridian.clock.Clock;
import io.meridian.config.CheckType;
import io.meridian.config.HealthCheckConfig;
import io.meridian.probe.FailureReason;
import io.meridian.probe.ProbeResult;
import io.meridian.probe.ProbeRun;
import io.meridian.probe.ProbeTarget;
import io.meridian.probe.Prober;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

import java.nio.charset.StandardCharsets;

/**
 * HTTP and HTTPS probes: a fresh connection per probe (so connection failures are seen), expected
 * status set, optional substring in the first {@value #MAX_BODY_BYTES} bytes of the body (the rest
 * is never read). TLS certificates are verified unless the check says {@code insecure: true}.
 */
public final class HttpProber implements Prober {

    static final int MAX_BODY_BYTES = 64 * 1024;

    private final Vertx vertx;
    private final Clock clock;
    private final HttpClient plain;
    private final HttpClient tls;
    private final HttpClient tlsInsecure;

    public HttpProber(Vertx vertx, Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(10_000);
        this.plain = vertx.createHttpClient(base(), pool);
        this.tls = vertx.createHttpClient(base().setSsl(true).setVerifyHost(true).setForceSni(true), pool);
        this.tlsInsecure = vertx.createHttpClient(base().setSsl(true).setTrustAll(true).setVerifyHost(false).setForceSni(true), pool);
    }

    private static HttpClientOptions base() {
        return new HttpClientOptions().setKeepAlive(false).setMaxRedirects(0);
    }

    @Override
    public Future<ProbeResult> probe(ProbeTarget target) {
        HealthCheckConfig check = target.check();
        ProbeRun run = new ProbeRun(vertx, clock, target);
        HttpClient client = check.type() == CheckType.HTTP ? plain : check.insecure() ? tlsInsecure : tls;
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setServer(SocketAddress.inetSocketAddress(target.port(), target.address()))
                .setHost(check.host().orElse(target.address()))
                .setPort(target.port())
                .setURI(check.path())
                .setConnectTimeout(check.timeout().toMillis())
                .putHeader("User-Agent", "meridian-probe");
        client.request(options).onComplete(ar -> {
            if (ar.failed()) {
                run.fail(ar.cause());
                return;
            }
            HttpClientRequest request = ar.result();
            request.exceptionHandler(run::fail);
            run.onTimeout(() -> request.reset());
            request.send().onComplete(resp -> {
                if (resp.failed()) {
                    run.fail(resp.cause());
                } else {
                    onResponse(run, request, resp.result(), check);
                }
            });
        });
        return run.future();
    }

    private static void onResponse(ProbeRun run, HttpClientRequest request, HttpClientResponse response, HealthCheckConfig check) {
        // Once the outcome is known the stream is reset on purpose; errors after that are not news.
        response.exceptionHandler(t -> run.fail(t));
        if (!check.expectStatus().contains(response.statusCode())) {
            run.fail(FailureReason.STATUS, "status " + response.statusCode());
            request.reset();
            return;
        }
        if (check.bodyContains().isEmpty()) {
            run.succeed();
            request.reset();
            return;
        }
        String needle = check.bodyContains().get();
        Buffer head = Buffer.buffer();
        response.handler(chunk -> {
            if (run.isDone()) {
                return;
            }
            int room = MAX_BODY_BYTES - head.length();
            head.appendBuffer(chunk.length() <= room ? chunk : chunk.getBuffer(0, room));
            if (head.toString(StandardCharsets.UTF_8).contains(needle)) {
                run.succeed();
                request.reset();
            } else if (head.length() >= MAX_BODY_BYTES) {
                run.fail(FailureReason.BODY_MISMATCH, "'" + needle + "' not in the first " + MAX_BODY_BYTES + " bytes");
                request.reset();
            }
        });
        response.endHandler(v -> run.fail(FailureReason.BODY_MISMATCH, "body does not contain '" + needle + "'"));
    }
}
