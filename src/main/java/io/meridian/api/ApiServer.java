package io.meridian.api;

import io.meridian.replication.DatabaseManager;
import io.meridian.config.ApiConfig;
import io.meridian.config.ConnectionLimits;
import io.meridian.config.RegionConfig;
import io.meridian.config.ReloadOutcome;
import io.meridian.config.TokenConfig;
import io.meridian.health.RegionStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The HTTP API. Public (unless {@code api.public-health: false}): {@code /healthz}, {@code /readyz},
 * {@code /metrics}, {@code /v1/regions/{region}/health} (200 when the region should receive
 * traffic, 503 when not, for Route 53 or a load balancer) and {@code /openapi.yaml}. Everything
 * else under {@code /v1} needs a bearer token: {@code viewer} to read, {@code operator} to change,
 * {@code admin} to force. Every answer is JSON; every error has a code and a message. Made and
 * started on the controller's loop; its connections are served on another ({@link ControllerLoop}).
 */
public final class ApiServer {

    static final String CALLER = "meridian.caller";
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** Request line and headers together (Vert.x answers 431 or 414 beyond). */
    static final int MAX_HEADER_BYTES = 8 * 1024;

    private final Vertx vertx;
    private final StatusSource status;
    private final PrometheusMeterRegistry registry;
    private final Consumer<Router> extraRoutes;
    private volatile Authenticator auth; // replaced whole by a reload that changes api.tokens
    private final Optional<DatabaseManager> databases;
    private final ConnectionGuard guard;
    private final Function<String, Future<ReloadOutcome>> reload;
    private final StatusSnapshot snapshot;
    private final ControllerLoop loop;
    /**
     * One thread for the API's big answers (the status and history encodings, tens of milliseconds at
     * 1,000 targets): on the shared worker pool, fifty dashboards opening at once had five of them running
     * together (JFR, `bench dashboard`), on a machine whose other core the decision loop needs.
     */
    private final WorkerExecutor renders;
    private DrillSource drills = DrillSource.NONE;
    private HttpServer server;

    /** @param extraRoutes routes that exist only in some modes (the demo's fail/restore) */
    public ApiServer(Vertx vertx, StatusSource status, PrometheusMeterRegistry registry, Consumer<Router> extraRoutes) {
        this(vertx, status, registry, extraRoutes, Optional.empty(), status.config().api().limits(),
                actor -> Future.succeededFuture(new ReloadOutcome(ReloadOutcome.Kind.REFUSED, List.of(), List.of("this server has no configuration to reload"))));
    }

    /**
     * @param databases the database role manager, when database clusters are configured
     * @param limits    bounds on inbound connections ({@code api.limits}, perhaps lowered to fit the descriptor budget)
     * @param reload    {@code POST /v1/reload}, given the caller's name
     */
    public ApiServer(Vertx vertx, StatusSource status, PrometheusMeterRegistry registry, Consumer<Router> extraRoutes,
                     Optional<DatabaseManager> databases, ConnectionLimits limits, Function<String, Future<ReloadOutcome>> reload) {
        this.reload = reload;
        this.databases = databases;
        this.vertx = vertx;
        this.status = status;
        this.registry = registry;
        this.extraRoutes = extraRoutes;
        this.auth = new Authenticator(status.config().api().tokens());
        this.loop = ControllerLoop.here(vertx);
        this.guard = new ConnectionGuard(vertx, limits, registry);
        this.renders = vertx.createSharedWorkerExecutor("meridian-api-render", 1);
        this.snapshot = new StatusSnapshot(renders, status, databases);
    }

    /** The drills {@code /v1/drills} runs (before {@link #start}); without, it lists none and runs none. */
    public void drills(DrillSource source) {
        drills = source;
    }

    /** A reload's {@code api.tokens}: from the next request on, only these are known. */
    public void tokens(List<TokenConfig> tokens) {
        auth = new Authenticator(tokens);
    }

    /** The routes, without a server: for tests that check them against the OpenAPI document. */
    public Router router() {
        ApiConfig api = status.config().api();
        Router router = Router.router(vertx);
        router.route().order(-1).handler(guard::track);
        // HEAD is a read: routed as the GET it stands for (Vert.x sends no body for it), with a viewer's rights.
        router.route().order(0).method(HttpMethod.HEAD).handler(ctx -> ctx.reroute(HttpMethod.GET, ctx.request().uri()));
        UiRoutes.mountPublic(router);
        if (!api.publicHealth()) {
            router.route().handler(this::authenticate);
        }
        // The routes run on the API's loop (see ControllerLoop); those that read or change what the controller owns
        // are wrapped in loop.on and run on its loop, and /healthz too: a stuck decision loop fails the liveness check.
        router.get("/healthz").handler(loop.on(ctx -> ApiErrors.json(ctx, 200, new JsonObject().put("status", "ok"))));
        router.get("/readyz").handler(loop.on(this::readyz));
        router.get("/metrics").handler(loop.on(ctx -> ctx.response() // its gauges read the controller's state
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape())));
        router.get("/openapi.yaml").handler(this::openapi);
        router.get("/v1/regions/:region/health").handler(loop.on(this::regionHealth));
        extraRoutes.accept(router);
        if (api.publicHealth()) {
            router.route("/v1/*").handler(this::authenticate);
        }
        router.post("/v1/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
        // The big reads: only the snapshot is made on the controller's loop; the encoding and the cuts happen off it.
        router.get("/v1/status").handler(ctx -> ApiErrors.json(ctx, 200, loop.call(snapshot::body).compose(body -> body)));
        router.get("/v1/regions").handler(ctx -> loop.call(snapshot::json).onFailure(ctx::fail).onSuccess(json ->
                ApiErrors.json(ctx, 200, new JsonObject().put("regions", json.getJsonObject("regions")))));
        router.get("/v1/regions/:region").handler(ctx -> cut(ctx, "regions", "region", "unknown_region"));
        router.get("/v1/services/:service").handler(ctx -> cut(ctx, "services", "service", "unknown_service"));
        router.get("/v1/plan").handler(loop.on(this::plan));
        router.get("/v1/overrides").handler(loop.on(ctx -> ApiErrors.json(ctx, 200,
                new JsonObject().put("overrides", StatusJson.overrides(status.engine())))));
        new EventRoutes(vertx, status, loop).mount(router);
        LeaderForward forward = new LeaderForward(vertx, status.config().vantage(), api.tls().map(t -> t.cert()));
        new ChangeRoutes(status, forward, loop).mount(router);
        new DatabaseRoutes(databases, status::journal, forward, status::leads, status::leader, loop).mount(router);
        new DrillRoutes(drills, status, forward, loop).mount(router);
        ReloadRoute.mount(router, reload, loop);
        UiRoutes.mountWhoami(router);
        HistoryRoute.mount(router, renders, status, status::now, loop);
        router.route().last().handler(ctx -> ApiErrors.error(ctx, 404, "not_found",
                "no route for " + ctx.request().method() + " " + ctx.request().path()));
        router.errorHandler(500, ctx -> ApiErrors.error(ctx, 500, "internal", String.valueOf(ctx.failure())));
        router.errorHandler(413, ctx -> ApiErrors.error(ctx, 413, "too_large", "bodies are limited to " + MAX_BODY_BYTES + " bytes"));
        return router;
    }

    /** Listens and returns the bound port (useful when the configured port is 0). */
    public Future<Integer> start(String host, int port) {
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                .setMaxHeaderSize(MAX_HEADER_BYTES).setMaxInitialLineLength(MAX_HEADER_BYTES / 2)
                // HTTP/1.1 only: with h2c detection a connection exists for Vert.x (and for the guard's
                // bounds and timers) only once it has sent bytes, so silent connections were never closed.
                .setHttp2ClearTextEnabled(false);
        status.config().api().tls().ifPresent(tls -> options.setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert().toString()).setKeyPath(tls.key().toString())));
        Router router = router();
        return loop.onApi(() -> vertx.createHttpServer(options)
                .connectionHandler(guard::admit)
                .requestHandler(router)
                .listen())
                .map(s -> {
                    server = s;
                    return s.actualPort();
                });
    }

    public Future<Void> stop() {
        return (server == null ? Future.<Void>succeededFuture() : server.close()).eventually(renders::close);
    }

    /** 401 without a known token, 403 when its role is too small: GET needs viewer, changes need operator. */
    private void authenticate(RoutingContext ctx) {
        if (!auth.configured()) {
            ApiErrors.error(ctx, 401, "unauthenticated", "no API tokens are configured (api.tokens in meridian.yaml)");
            return;
        }
        Optional<Authenticator.Caller> caller = auth.authenticate(ctx.request().getHeader("Authorization"));
        if (caller.isEmpty()) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"meridian\"");
            ApiErrors.error(ctx, 401, "unauthenticated", "a valid bearer token is required (Authorization: Bearer TOKEN)");
            return;
        }
        Role needed = ctx.request().method() == HttpMethod.GET ? Role.VIEWER : Role.OPERATOR;
        if (!caller.get().role().allows(needed)) {
            ApiErrors.error(ctx, 403, "forbidden", caller.get().name() + " is " + caller.get().role().name().toLowerCase()
                    + " but this needs " + needed.name().toLowerCase());
            return;
        }
        ctx.put(CALLER, caller.get());
        ctx.next();
    }

    private void readyz(RoutingContext ctx) {
        boolean ready = status.ready();
        ApiErrors.json(ctx, ready ? 200 : 503, new JsonObject().put("ready", ready).put("reason", status.readiness()));
    }

    private void openapi(RoutingContext ctx) {
        try (InputStream in = ApiServer.class.getResourceAsStream("/openapi.yaml")) {
            ctx.response().putHeader("Content-Type", "application/yaml").end(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | NullPointerException e) {
            ApiErrors.error(ctx, 500, "internal", "openapi.yaml is missing from the build");
        }
    }

    private void regionHealth(RoutingContext ctx) {
        String name = ctx.pathParam("region");
        Optional<RegionConfig> region = status.config().region(name);
        if (region.isEmpty()) {
            ApiErrors.error(ctx, 404, "unknown_region", "region '" + name + "' is not configured");
            return;
        }
        RegionStatus s = status.engine().regions().get(name);
        boolean drained = status.config().services().stream().allMatch(svc -> status.engine().drainedFor(svc.name()).contains(name));
        boolean up = s != null && s.up() && !drained;
        String reason = s == null ? "not evaluated yet" : s.reason();
        ApiErrors.json(ctx, up ? 200 : 503, new JsonObject()
                .put("region", name)
                .put("receive_traffic", up)
                .put("drained", drained)
                .put("reason", drained ? "drained by an operator; " + reason : reason));
    }

    /** One region's or service's part of the snapshot, named, or 404 when it is not configured. */
    private void cut(RoutingContext ctx, String part, String param, String unknown) {
        String name = ctx.pathParam(param);
        loop.call(snapshot::json).onFailure(ctx::fail).onSuccess(json -> Optional.ofNullable(json.getJsonObject(part).getJsonObject(name))
                .ifPresentOrElse(o -> ApiErrors.json(ctx, 200, o.copy().put("name", name)),
                        () -> ApiErrors.error(ctx, 404, unknown, param + " '" + name + "' is not configured")));
    }

    private void plan(RoutingContext ctx) {
        JsonObject services = new JsonObject();
        status.engine().desired().forEach((name, d) -> services.put(name, new JsonObject()
                .put("desired", d.describe()).put("reason", d.reason()).put("fail_open", d.failOpen())
                .put("published", Optional.ofNullable(status.engine().published().get(name)).map(p -> p.describe()).orElse(null))));
        ApiErrors.json(ctx, 200, new JsonObject().put("services", services).put("plan", AuditJson.plan(status.plan())));
    }
}
