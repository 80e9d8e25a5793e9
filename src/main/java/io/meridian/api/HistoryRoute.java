package io.meridian.api;

import io.meridian.config.HealthCheckConfig;
import io.meridian.config.RegionConfig;
import io.meridian.engine.Engine;
import io.meridian.health.LatencyHistory;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /v1/history?region=R}: the last hour of latency of a region's endpoints, in 5-second
 * buckets, per vantage: each endpoint's p50 and p95, and the region's (the median of its endpoints'
 * p50, the highest p95), with the latency threshold of its checks. {@code null} where nothing was
 * measured. {@code endpoints=none} leaves the endpoints' own series out, {@code endpoints=ID} keeps only
 * that endpoint's. For the dashboard's charts.
 */
final class HistoryRoute {

    private HistoryRoute() {
    }

    /**
     * @param renders where the medians and the encoding run, off the decision loop
     * @param loop    the controller's loop, where the question is checked and the series copied
     */
    static void mount(Router router, WorkerExecutor renders, StatusSource status, Supplier<Instant> now, ControllerLoop loop) {
        // Made once per region, question and 5 s bucket, then shared: fifty dashboards asking every 10 s cost one
        // computation per region and bucket, not fifty. The series' rings are copied whole on the controller's loop
        // (which owns the history and this cache); their points, the medians over endpoints and the encoding,
        // tens of milliseconds at 1,000 targets, are worked out off the loop.
        Map<String, Future<Buffer>> made = new HashMap<>();
        long[] bucket = {-1};
        router.get("/v1/history").handler(loop.on(ctx -> {
            String name = ctx.request().getParam("region");
            Optional<RegionConfig> region = name == null ? Optional.empty() : status.config().region(name);
            if (region.isEmpty()) {
                ApiErrors.error(ctx, name == null ? 400 : 404, name == null ? "invalid_field" : "unknown_region",
                        name == null ? "region: is required" : "region '" + name + "' is not configured");
                return;
            }
            String endpoints = Optional.ofNullable(ctx.request().getParam("endpoints")).orElse("all");
            if (!endpoints.equals("all") && !endpoints.equals("none") && !status.engine().targetsOf(name).contains(endpoints)) {
                ApiErrors.badField(ctx, "endpoints", "'" + endpoints + "' is not all, none or an endpoint of " + name);
                return;
            }
            Instant at = now.get();
            long b = at.getEpochSecond() / LatencyHistory.BUCKET_SECONDS;
            if (b != bucket[0]) {
                made.clear(); // also forgets what a reload removed
                bucket[0] = b;
            }
            String key = name + "\n" + endpoints;
            Future<Buffer> body = made.get(key);
            if (body == null) {
                Copied copied = copy(status, region.get(), endpoints, at);
                body = renders.executeBlocking(() -> Buffer.buffer(copied.render().encodePrettily()), false);
                made.put(key, body);
                body.onFailure(err -> made.remove(key));
            }
            ApiErrors.json(ctx, 200, body);
        }));
    }

    /** What one answer needs, copied from the engine: every array here is the answer's own. */
    private record Copied(String region, String endpoints, Instant at, Double threshold,
                          Map<String, Map<String, LatencyHistory.Copy>> byVantage) {

        JsonObject render() {
            JsonArray series = new JsonArray();
            JsonArray regionSeries = new JsonArray();
            Instant from = null;
            for (Map.Entry<String, Map<String, LatencyHistory.Copy>> byTarget : byVantage.entrySet()) {
                String vantage = byTarget.getKey();
                LatencyHistory.Points[] all = new LatencyHistory.Points[byTarget.getValue().size()];
                int i = 0;
                for (Map.Entry<String, LatencyHistory.Copy> target : byTarget.getValue().entrySet()) {
                    LatencyHistory.Points p = target.getValue().points(at);
                    from = p.from();
                    all[i++] = p;
                    if (endpoints.equals("all") || endpoints.equals(target.getKey())) {
                        series.add(new JsonObject().put("target", target.getKey()).put("vantage", vantage)
                                .put("p50", array(p.p50())).put("p95", array(p.p95())));
                    }
                }
                double[][] region = overEndpoints(all);
                regionSeries.add(new JsonObject().put("vantage", vantage).put("p50", array(region[0])).put("p95", array(region[1])));
            }
            return new JsonObject().put("region", region).put("bucket_seconds", LatencyHistory.BUCKET_SECONDS)
                    .put("from", from == null ? null : from.toString()).put("threshold_ms", threshold)
                    .put("region_series", regionSeries).put("endpoints", series);
        }
    }

    /**
     * A region's series from its endpoints' ({p50, p95}): per bucket, the median of their p50 and the highest
     * p95, over the endpoints measured in it (NaN when none was). Plain loops: at 1,000 targets the streams
     * this replaced were most of a history answer's time.
     */
    static double[][] overEndpoints(LatencyHistory.Points[] all) {
        int buckets = all.length == 0 ? 0 : all[0].p50().length;
        double[] p50 = new double[buckets];
        double[] p95 = new double[buckets];
        double[] measured = new double[all.length];
        for (int i = 0; i < buckets; i++) {
            int n = 0;
            double max = Double.NaN;
            for (LatencyHistory.Points p : all) {
                if (!Double.isNaN(p.p50()[i])) {
                    measured[n++] = p.p50()[i];
                }
                double high = p.p95()[i];
                if (!Double.isNaN(high) && !(high <= max)) {
                    max = high;
                }
            }
            Arrays.sort(measured, 0, n);
            p50[i] = n == 0 ? Double.NaN : measured[(n - 1) / 2];
            p95[i] = max;
        }
        return new double[][] {p50, p95};
    }

    /** @param endpoints which endpoints' own series to include: {@code all}, {@code none} or one endpoint's id */
    private static Copied copy(StatusSource status, RegionConfig r, String endpoints, Instant now) {
        Engine engine = status.engine();
        LatencyHistory h = engine.history();
        Map<String, Map<String, LatencyHistory.Copy>> byVantage = new LinkedHashMap<>();
        for (String vantage : engine.health().vantages()) {
            Map<String, LatencyHistory.Copy> byTarget = new LinkedHashMap<>();
            for (String id : engine.targetsOf(r.name())) {
                byTarget.put(id, h.copy(id, vantage));
            }
            byVantage.put(vantage, byTarget);
        }
        Map<String, HealthCheckConfig> checks = status.config().checksByName();
        Double threshold = r.endpoints().stream().map(e -> checks.get(e.check()))
                .map(HealthCheckConfig::latencyThreshold).flatMap(Optional::stream).map(d -> (double) d.toMillis()).min(Double::compare).orElse(null);
        return new Copied(r.name(), endpoints, now, threshold, byVantage);
    }

    private static JsonArray array(double[] values) {
        JsonArray out = new JsonArray();
        Arrays.stream(values).forEach(v -> out.add(Double.isNaN(v) ? null : Math.round(v * 100) / 100.0));
        return out;
    }
}
