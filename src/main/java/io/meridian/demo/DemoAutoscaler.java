package io.meridian.demo;

import io.meridian.api.ApiErrors;
import io.meridian.config.MeridianConfig;
import io.meridian.config.RegionConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * A stand-in autoscaler for the demo: a region's capacity report at {@code GET /demo/capacity/{region}}
 * and its scale hook at {@code POST /demo/scale/{region}}. A region asked for more capacity grows by a
 * tenth of its declared capacity on each read of its report, up to what it was asked for.
 */
final class DemoAutoscaler {

    private static final Logger log = LoggerFactory.getLogger(DemoAutoscaler.class);

    /** Per region: the capacity it reports now, and the capacity it was asked for. */
    private final Map<String, double[]> regions = new HashMap<>();
    private final Map<String, Double> step = new HashMap<>();

    DemoAutoscaler(MeridianConfig config) {
        for (RegionConfig r : config.regions()) {
            r.capacity().ifPresent(c -> {
                regions.put(r.name(), new double[] {c, c});
                step.put(r.name(), Math.max(1, c / 10));
            });
        }
    }

    void routes(Router router) {
        router.get("/demo/capacity/:region").handler(ctx -> withRegion(ctx, now -> {
            now[0] = now[0] < now[1] ? Math.min(now[1], now[0] + step.get(ctx.pathParam("region"))) : now[1];
            ApiErrors.json(ctx, 200, new JsonObject().put("ready", true).put("capacity", now[0]));
        }));
        router.post("/demo/scale/:region").handler(ctx -> ctx.request().body().onSuccess(body -> withRegion(ctx, now -> {
            double wanted;
            try {
                wanted = body.toJsonObject().getDouble("capacity");
            } catch (DecodeException | ClassCastException | NullPointerException e) {
                ApiErrors.badField(ctx, "capacity", "must be a number in a JSON object");
                return;
            }
            now[1] = Math.max(now[1], wanted);
            log.info("demo: autoscaler asked to scale {} to {} (has {}); it grows by {} per report", ctx.pathParam("region"),
                    Math.round(wanted), Math.round(now[0]), Math.round(step.get(ctx.pathParam("region"))));
            ApiErrors.json(ctx, 202, new JsonObject().put("region", ctx.pathParam("region")).put("target", now[1]));
        })));
    }

    private synchronized void withRegion(RoutingContext ctx, java.util.function.Consumer<double[]> action) {
        double[] now = regions.get(ctx.pathParam("region"));
        if (now == null) {
            ApiErrors.error(ctx, 404, "unknown_region", "region '" + ctx.pathParam("region") + "' declares no capacity");
            return;
        }
        action.accept(now);
    }
}
