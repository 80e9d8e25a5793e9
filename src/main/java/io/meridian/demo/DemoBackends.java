package io.meridian.demo;

import io.meridian.api.ApiErrors;
import io.meridian.config.EndpointConfig;
import io.meridian.config.MeridianConfig;
import io.meridian.config.RegionConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One small HTTP server per endpoint in the configuration, listening on the endpoint's own loopback
 * address so that a DNS answer shows which region serves. Failing a region closes its servers
 * (probes then see {@code connect_refused}, like a dead host); restoring listens again.
 */
public final class DemoBackends {

    private static final Logger log = LoggerFactory.getLogger(DemoBackends.class);

    private final Vertx vertx;
    private final MeridianConfig config;
    private final DemoAutoscaler autoscaler;
    private final Map<String, List<HttpServer>> running = new LinkedHashMap<>();
    /** Vantages whose probes the backends refuse: a stand-in for a region whose network is cut off. */
    private final java.util.Set<String> cut = new java.util.concurrent.ConcurrentSkipListSet<>();

    public DemoBackends(Vertx vertx, MeridianConfig config) {
        this.vertx = vertx;
        this.config = config;
        this.autoscaler = new DemoAutoscaler(config);
    }

    public Future<Void> startAll() {
        List<Future<?>> all = new ArrayList<>();
        for (RegionConfig r : config.regions()) {
            all.add(start(r));
        }
        return Future.all(all).mapEmpty();
    }

    /** Routes {@code POST /demo/regions/{region}/fail} and {@code /restore}, the vantage cuts and the stand-in autoscaler. */
    public void routes(Router router) {
        autoscaler.routes(router);
        router.post("/demo/regions/:region/fail").handler(ctx -> withRegion(ctx, r -> fail(r)));
        router.post("/demo/regions/:region/restore").handler(ctx -> withRegion(ctx, r -> start(r)));
        router.post("/demo/vantages/:vantage/cut").handler(ctx -> {
            cut(ctx.pathParam("vantage"), true);
            ApiErrors.json(ctx, 200, new JsonObject().put("vantage", ctx.pathParam("vantage")).put("probes", "refused"));
        });
        router.post("/demo/vantages/:vantage/reconnect").handler(ctx -> {
            cut(ctx.pathParam("vantage"), false);
            ApiErrors.json(ctx, 200, new JsonObject().put("vantage", ctx.pathParam("vantage")).put("probes", "answered"));
        });
    }

    /**
     * While {@code off}, every backend closes the connection of a probe from {@code vantage} (told by its
     * User-Agent) without an answer: that vantage sees every target down, as if its region were cut off.
     */
    public void cut(String vantage, boolean off) {
        if (off) {
            cut.add(vantage);
        } else {
            cut.remove(vantage);
        }
        log.info("demo: probes from vantage {} are {}", vantage, off ? "refused (cut off)" : "answered again");
    }

    private void withRegion(RoutingContext ctx, java.util.function.Function<RegionConfig, Future<Void>> action) {
        String name = ctx.pathParam("region");
        RegionConfig region = config.region(name).orElse(null);
        if (region == null) {
            ApiErrors.error(ctx, 404, "unknown_region", "region '" + name + "' is not configured");
            return;
        }
        action.apply(region).onComplete(ar -> {
            if (ar.failed()) {
                ApiErrors.error(ctx, 500, "demo_backend", ar.cause().getMessage());
            } else {
                ApiErrors.json(ctx, 200, new JsonObject().put("region", name)
                        .put("backends", running.containsKey(name) ? "serving" : "failed"));
            }
        });
    }

    public Future<Void> fail(RegionConfig region) {
        List<HttpServer> servers = running.remove(region.name());
        if (servers == null) {
            return Future.succeededFuture();
        }
        log.info("demo: region {} failed: its {} backend(s) stopped listening", region.name(), servers.size());
        return Future.all(servers.stream().map(HttpServer::close).toList()).mapEmpty();
    }

    public Future<Void> start(RegionConfig region) {
        if (running.containsKey(region.name())) {
            return Future.succeededFuture();
        }
        List<HttpServer> servers = new ArrayList<>();
        running.put(region.name(), servers);
        List<Future<?>> listening = new ArrayList<>();
        for (EndpointConfig e : region.endpoints()) {
            String body = "hello from " + region.name() + " (" + e.address() + ")\n";
            listening.add(vertx.createHttpServer(new HttpServerOptions().setHost(e.address()).setPort(e.port()).setReuseAddress(true))
                    .requestHandler(req -> {
                        String agent = String.valueOf(req.getHeader("User-Agent"));
                        if (!cut.isEmpty() && cut.stream().anyMatch(v -> agent.endsWith("(vantage " + v + ")"))) {
                            req.connection().close();
                            return;
                        }
                        req.response().putHeader("Content-Type", "text/plain").end(body);
                    })
                    .listen()
                    .onSuccess(servers::add));
        }
        return Future.all(listening).<Void>mapEmpty()
                .onSuccess(v -> log.info("demo: region {} serving on {} backend(s)", region.name(), servers.size()));
    }

    public Future<Void> stopAll() {
        List<Future<?>> all = new ArrayList<>();
        running.values().forEach(list -> list.forEach(s -> all.add(s.close())));
        running.clear();
        return Future.join(all).mapEmpty();
    }
}
