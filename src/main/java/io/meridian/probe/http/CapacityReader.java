package io.meridian.probe.http;

import io.meridian.clock.Clock;
import io.meridian.config.CapacityReportConfig;
import io.meridian.policy.CapacityUse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads a region's capacity report: a GET of its {@code capacity-report} URL answering a JSON object
 * {@code {"ready": true, "capacity": 1200}} ({@code ready} defaults to true; {@code capacity} may be left
 * out only when not ready). Any failure (refused, timeout, a status other than 2xx, a body that is not
 * such an object, over 64 KiB) is a failed report that says why; the future always succeeds.
 */
public final class CapacityReader {

    static final int MAX_BODY = 64 * 1024;

    private final Vertx vertx;
    private final Clock clock;
    private final HttpClient client;

    public CapacityReader(Vertx vertx, Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setVerifyHost(true));
    }

    public Future<CapacityUse.Report> read(CapacityReportConfig c) {
        Promise<CapacityUse.Report> done = Promise.promise();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(c.url().toString())
                .setConnectTimeout(c.timeout().toMillis()).putHeader("Accept", "application/json")
                .putHeader("User-Agent", "meridian-capacity");
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        long timer = vertx.setTimer(c.timeout().toMillis(), id -> {
            done.tryComplete(failed("no report within " + c.timeout().toMillis() + " ms"));
            if (sent.get() != null) {
                sent.get().reset();
            }
        });
        done.future().onComplete(x -> vertx.cancelTimer(timer));
        client.request(options)
                .compose(req -> {
                    sent.set(req);
                    req.exceptionHandler(err -> done.tryComplete(failed(message(err)))); // a reset after the outcome is no news
                    return req.send();
                })
                .compose(resp -> {
                    if (resp.statusCode() / 100 != 2) {
                        String status = "status " + resp.statusCode();
                        return resp.body().transform(ar -> Future.succeededFuture(failed(status)));
                    }
                    Buffer body = Buffer.buffer();
                    Promise<CapacityUse.Report> parsed = Promise.promise();
                    resp.exceptionHandler(err -> parsed.tryComplete(failed(message(err))));
                    resp.handler(chunk -> {
                        body.appendBuffer(chunk);
                        if (body.length() > MAX_BODY) {
                            parsed.tryComplete(failed("body over " + MAX_BODY + " bytes"));
                            resp.request().reset();
                        }
                    });
                    resp.endHandler(v -> parsed.tryComplete(parse(body)));
                    return parsed.future();
                })
                .onComplete(ar -> done.tryComplete(ar.succeeded() ? ar.result() : failed(message(ar.cause()))));
        return done.future();
    }

    CapacityUse.Report parse(Buffer body) {
        JsonObject j;
        try {
            j = body.toJsonObject();
        } catch (DecodeException | ClassCastException e) {
            return failed("body is not a JSON object");
        }
        if (j == null) {
            return failed("body is not a JSON object");
        }
        Object ready = j.getValue("ready", Boolean.TRUE);
        if (!(ready instanceof Boolean r)) {
            return failed("ready was " + ready + " but must be true or false");
        }
        Object capacity = j.getValue("capacity");
        if (capacity == null && !r) {
            return new CapacityUse.Report(true, false, 0, "not ready", clock.wallTime());
        }
        if (!(capacity instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < 0) {
            return failed("capacity was " + capacity + " but must be a number of at least 0");
        }
        return new CapacityUse.Report(true, r, n.doubleValue(), (r ? "" : "not ready, ") + "capacity " + n, clock.wallTime());
    }

    private CapacityUse.Report failed(String why) {
        return new CapacityUse.Report(false, true, 0, why, clock.wallTime());
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    public Future<Void> close() {
        return client.close();
    }
}
