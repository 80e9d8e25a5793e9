package io.meridian.probe.http;

import io.meridian.clock.Clock;
import io.meridian.config.CheckType;
import io.meridian.config.HealthCheckConfig;
import io.meridian.config.ProbeOptions;
import io.meridian.probe.FailureReason;
import io.meridian.probe.ProbeResult;
import io.meridian.probe.ProbeRun;
import io.meridian.probe.ProbeTarget;
import io.meridian.probe.Prober;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * HTTP and HTTPS probes: a fresh connection per probe (so connection failures are seen), expected
 * status set, an optional substring or regex in the first {@code max-body-bytes} of the body (the
 * rest is never read), redirects followed only when asked, HTTP/1.1 or HTTP/2. TLS certificates
 * are verified unless the check says {@code insecure: true}; {@code ca-file} replaces the JVM's CAs.
 * Plain {@code http} checks without keep-alive, HTTP/2 or redirects (the common case) go through
 * {@link PlainExchange}, a request written on a fresh TCP connection and read only as far as the
 * verdict needs; the others through Vert.x HTTP clients, shared by checks with the same TLS and
 * protocol settings.
 */
public final class HttpProber implements Prober {

    private final Vertx vertx;
    private final Clock clock;
    private final Map<String, HttpClient> clients = new HashMap<>();
    private final EventLoop loop;
    private final ChannelFactory<? extends Channel> channels;
    private final String userAgent;

    public HttpProber(Vertx vertx, Clock clock) {
        this(vertx, clock, "");
    }

    /** @param vantage named in every probe's User-Agent, so a backend's logs tell which vantage probed */
    public HttpProber(Vertx vertx, Clock clock, String vantage) {
        this.vertx = vertx;
        this.clock = clock;
        this.userAgent = vantage.isEmpty() ? "meridian-probe" : "meridian-probe (vantage " + vantage + ")";
        // Plain exchanges run on this prober's event loop (its creator's context), with Vert.x's transport.
        this.loop = ((ContextInternal) vertx.getOrCreateContext()).nettyEventLoop();
        this.channels = ((VertxInternal) vertx).transport().channelFactory(false);
    }

    private HttpClient client(HealthCheckConfig check) {
        ProbeOptions o = check.options();
        boolean tls = check.type() == CheckType.HTTPS;
        String key = tls + "/" + check.insecure() + "/" + o.caFile().map(Object::toString).orElse("") + "/" + o.http2() + "/" + o.keepAlive();
        return clients.computeIfAbsent(key, k -> {
            HttpClientOptions options = new HttpClientOptions().setKeepAlive(o.keepAlive()).setMaxRedirects(5);
            if (o.http2()) {
                options.setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(tls).setHttp2ClearTextUpgrade(false);
            }
            if (tls) {
                options.setSsl(true).setForceSni(true).setVerifyHost(!check.insecure()).setTrustAll(check.insecure());
                o.caFile().filter(ca -> !check.insecure()).ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
            }
            return vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(10_000).setHttp2MaxSize(10_000));
        });
    }

    @Override
    public Future<ProbeResult> probe(ProbeTarget target) {
        HealthCheckConfig check = target.check();
        ProbeOptions o = check.options();
        ProbeRun run = new ProbeRun(vertx, clock, target).connecting();
        if (PlainExchange.applies(check)) {
            PlainExchange.run(loop, channels, run, target, PlainExchange.request(target, userAgent));
            return run.future();
        }
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(o.method()))
                .setServer(SocketAddress.inetSocketAddress(target.port(), target.address()))
                .setHost(check.host().orElse(target.address()))
                .setPort(target.port())
                .setURI(check.path())
                .setFollowRedirects(o.followRedirects())
                .setConnectTimeout(check.timeout().toMillis())
                .putHeader("User-Agent", userAgent);
        o.headers().forEach(options::putHeader);
        client(check).request(options).onComplete(ar -> {
            if (ar.failed()) {
                run.fail(ar.cause());
                return;
            }
            HttpClientRequest request = ar.result();
            // A fresh connection is up (TLS included for https) once the request has it.
            run.mark(check.type() == CheckType.HTTPS ? "tls" : "connect");
            request.exceptionHandler(run::fail);
            run.onTimeout(() -> request.reset());
            request.send().onComplete(resp -> {
                if (resp.failed()) {
                    run.fail(resp.cause());
                } else {
                    run.mark("first_byte");
                    onResponse(run, request, resp.result(), check);
                }
            });
        });
        return run.future();
    }

    private static void onResponse(ProbeRun run, HttpClientRequest request, HttpClientResponse response, HealthCheckConfig check) {
        // Once the outcome is known the stream is reset on purpose; errors after that are not news.
        response.exceptionHandler(run::fail);
        if (!check.expectStatus().contains(response.statusCode())) {
            run.fail(FailureReason.STATUS, "status " + response.statusCode());
            request.reset();
            return;
        }
        ProbeOptions o = check.options();
        if (check.bodyContains().isEmpty() && o.bodyRegex().isEmpty()) {
            run.succeed();
            if (o.keepAlive()) {
                response.handler(b -> { }); // read to the end so the connection can be reused
            } else {
                request.reset();
            }
            return;
        }
        BodyCheck wanted = BodyCheck.of(check).orElseThrow();
        int max = o.maxBodyBytes();
        Buffer head = Buffer.buffer();
        response.handler(chunk -> {
            if (run.isDone()) {
                return;
            }
            int room = max - head.length();
            head.appendBuffer(chunk.length() <= room ? chunk : chunk.getBuffer(0, room));
            String text = head.toString(StandardCharsets.UTF_8);
            if (wanted.matches(text)) {
                run.succeed();
                request.reset();
            } else if (head.length() >= max) {
                run.fail(FailureReason.TOO_LARGE, wanted.tooLarge(max));
                request.reset();
            }
        });
        response.endHandler(v -> run.fail(FailureReason.BODY_MISMATCH, wanted.mismatch(head.length())));
    }
}
