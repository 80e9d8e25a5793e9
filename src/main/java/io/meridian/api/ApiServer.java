package io.meridian.api;

import io.meridian.config.RegionConfig;
import io.meridian.health.RegionStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The HTTP API: {@code /healthz}, {@code /readyz}, {@code /metrics}, {@code /v1/status} and
 * {@code /v1/regions/{region}/health} (200 when the region should receive traffic, 503 when not,
 * for external checkers such as Route 53 or a load balancer). Every error is JSON with a code and a message.
 */
public final class ApiServer {

    private final Vertx vertx;
    private final StatusSource status;
    private final PrometheusMeterRegistry registry;
    private final Consumer<Router> extraRoutes;
    private HttpServer server;

    /** @param extraRoutes routes that exist only in some modes (the demo's fail/restore) */
    public ApiServer(Vertx vertx, StatusSource status, PrometheusMeterRegistry registry, Consumer<Router> extraRoutes) {
        this.vertx = vertx;
        this.status = status;
        this.registry = registry;
        this.extraRoutes = extraRoutes;
    }

    /** Listens and returns the bound port (useful when the configured port is 0). */
    public Future<Integer> start(String host, int port) {
        Router router = Router.router(vertx);
        router.get("/healthz").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "ok")));
        router.get("/readyz").handler(this::readyz);
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape()));
        router.get("/v1/status").handler(ctx -> json(ctx, 200, StatusJson.status(status)));
        router.get("/v1/regions/:region/health").handler(this::regionHealth);
        extraRoutes.accept(router);
        router.route().last().handler(ctx -> error(ctx, 404, "not_found", "no route for " + ctx.request().method() + " " + ctx.request().path()));
        router.errorHandler(500, ctx -> error(ctx, 500, "internal", String.valueOf(ctx.failure())));
        return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(router)
                .listen()
                .map(s -> {
                    server = s;
                    return s.actualPort();
                });
    }

    public Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void readyz(RoutingContext ctx) {
        boolean ready = status.ready();
        json(ctx, ready ? 200 : 503, new JsonObject().put("ready", ready).put("reason", status.readiness()));
    }

    private void regionHealth(RoutingContext ctx) {
        String name = ctx.pathParam("region");
        Optional<RegionConfig> region = status.config().region(name);
        if (region.isEmpty()) {
            error(ctx, 404, "unknown_region", "region '" + name + "' is not configured");
            return;
        }
        RegionStatus s = status.engine().regions().get(name);
        boolean drained = status.config().services().stream().allMatch(svc -> status.engine().drainedFor(svc.name()).contains(name));
        boolean up = s != null && s.up() && !drained;
        String reason = s == null ? "not evaluated yet" : s.reason();
        json(ctx, up ? 200 : 503, new JsonObject()
                .put("region", name)
                .put("receive_traffic", up)
                .put("drained", drained)
                .put("reason", drained ? "drained by an operator; " + reason : reason));
    }

    public static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encodePrettily());
    }

    public static void error(RoutingContext ctx, int status, String code, String message) {
        json(ctx, status, new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)));
    }
}
