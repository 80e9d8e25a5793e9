package io.meridian.act;

import io.meridian.config.ScaleHookConfig;
import io.meridian.plan.ScaleRequests;
import io.meridian.policy.LoadShares;
import io.meridian.replication.FenceHook;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.List;

/**
 * Asks a region to scale up through its {@code scale-hook}: a POST of {@code {"region", "capacity",
 * "reason"}} to its URL (any 2xx is taken), or its command with {@code {region}}, {@code {capacity}} and
 * {@code {reason}} replaced (exit 0 is taken). Only asks: the capacity that follows is read from the
 * region's {@code capacity-report}. The future fails with why, naming the hook.
 */
public final class ScaleHook {

    private final Vertx vertx;
    private final HttpClient client;

    public ScaleHook(Vertx vertx) {
        this.vertx = vertx;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    }

    public Future<String> ask(ScaleHookConfig hook, ScaleRequests.Ask ask, String reason) {
        String capacity = LoadShares.number(Math.ceil(ask.capacity()));
        return hook.url().isPresent() ? post(hook, hook.url().get(), ask.region(), capacity, reason) : run(hook, ask.region(), capacity, reason);
    }

    private Future<String> post(ScaleHookConfig hook, URI url, String region, String capacity, String reason) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url.toString())
                .setConnectTimeout(hook.timeout().toMillis())
                .setIdleTimeout(hook.timeout().toMillis()).putHeader("Content-Type", "application/json");
        String body = new JsonObject().put("region", region).put("capacity", Double.parseDouble(capacity)).put("reason", reason).encode();
        return client.request(options).compose(req -> req.send(body)).compose(resp -> resp.body().map(b -> {
            if (resp.statusCode() / 100 != 2) {
                throw new IllegalStateException(hook.describe() + " answered " + resp.statusCode() + brief(b.toString()));
            }
            return hook.describe() + " answered " + resp.statusCode();
        }), err -> Future.failedFuture(new IllegalStateException(hook.describe() + " failed: " + err.getMessage())));
    }

    private Future<String> run(ScaleHookConfig hook, String region, String capacity, String reason) {
        List<String> args = hook.command().stream().map(a -> a.replace("{region}", region).replace("{capacity}", capacity)
                .replace("{reason}", reason)).toList();
        return FenceHook.command(vertx, "scale command", args, hook.timeout());
    }

    private static String brief(String out) {
        String line = out.strip().replaceAll("\\s+", " ");
        return line.isEmpty() ? "" : ": " + (line.length() > 200 ? line.substring(0, 200) + "…" : line);
    }

    public Future<Void> close() {
        return client.close();
    }
}
