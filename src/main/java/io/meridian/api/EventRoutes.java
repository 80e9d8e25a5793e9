package io.meridian.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Predicate;

/**
 * {@code GET /v1/events}: the journal, newest first, paged ({@code limit}, {@code before}) and
 * filtered by {@code service}, {@code region} and {@code kind}. {@code GET /v1/events/stream}: new
 * entries as server-sent events, as they are written.
 */
final class EventRoutes {

    static final long HEARTBEAT_MS = 15_000;

    private final Vertx vertx;
    private final StatusSource source;

    EventRoutes(Vertx vertx, StatusSource source) {
        this.vertx = vertx;
        this.source = source;
    }

    void mount(Router router) {
        router.get("/v1/events").handler(this::page);
        router.get("/v1/events/stream").handler(this::stream);
    }

    private void page(RoutingContext ctx) {
        int limit;
        long before;
        try {
            limit = Integer.parseInt(ctx.request().getParam("limit", "100"));
            before = Long.parseLong(ctx.request().getParam("before", "0"));
        } catch (NumberFormatException e) {
            ApiErrors.badField(ctx, "limit/before", "must be whole numbers");
            return;
        }
        if (limit < 1 || limit > 1000) {
            ApiErrors.badField(ctx, "limit", "was " + limit + " but must be 1-1000");
            return;
        }
        source.events(filter(ctx), limit, before).onSuccess(list -> {
            JsonObject body = new JsonObject().put("events", new JsonArray(list));
            if (list.size() == limit) {
                body.put("next_before", list.get(list.size() - 1).getLong("seq"));
            }
            ApiErrors.json(ctx, 200, body);
        }).onFailure(err -> ApiErrors.error(ctx, 500, "journal", err.getMessage()));
    }

    /** Matches entries about a service ({@code app}, {@code app->eu-west}, {@code us-east/app}), a region, a kind. */
    static Predicate<JsonObject> filter(RoutingContext ctx) {
        String service = ctx.request().getParam("service");
        String region = ctx.request().getParam("region");
        String kind = ctx.request().getParam("kind");
        return e -> {
            String subject = e.getString("subject", "");
            boolean ok = kind == null || kind.equalsIgnoreCase(e.getString("kind", ""));
            ok &= service == null || subject.equals(service) || subject.startsWith(service + "->") || subject.endsWith("/" + service);
            ok &= region == null || subject.equals(region) || subject.startsWith(region + "/") || subject.endsWith("->" + region);
            return ok;
        };
    }

    private void stream(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        response.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache");
        response.write(": meridian events\n\n");
        Predicate<JsonObject> filter = filter(ctx);
        Runnable stop = source.listen(e -> {
            if (filter.test(e) && !response.closed()) {
                response.write("id: " + e.getLong("seq") + "\nevent: " + e.getString("kind", "event").toLowerCase()
                        + "\ndata: " + e.encode() + "\n\n");
            }
        });
        long heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> {
            if (!response.closed()) {
                response.write(": keep-alive\n\n");
            }
        });
        response.closeHandler(v -> {
            stop.run();
            vertx.cancelTimer(heartbeat);
        });
    }
}
