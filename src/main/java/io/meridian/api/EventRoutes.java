package io.meridian.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code GET /v1/events}: the journal, newest first, paged ({@code limit}, {@code before}) and
 * filtered by {@code service}, {@code region} and {@code kind}. {@code GET /v1/events/stream}: new
 * entries as server-sent events, as they are written, resuming after {@code Last-Event-ID}.
 */
final class EventRoutes {

    static final long HEARTBEAT_MS = 15_000;

    /** What a client waits before it reconnects (the SSE {@code retry} field). */
    static final long RETRY_MS = 2_000;

    /** At most this many entries are sent again on a resume; beyond, a {@code gap} event says where to page from. */
    static final int MAX_RESUME = 10_000;

    private static final int PAGE = 1000;

    private final Vertx vertx;
    private final StatusSource source;
    private final ControllerLoop loop;

    EventRoutes(Vertx vertx, StatusSource source, ControllerLoop loop) {
        this.vertx = vertx;
        this.source = source;
        this.loop = loop;
    }

    void mount(Router router) {
        router.get("/v1/events").handler(loop.on(this::page));
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

    /**
     * The stream. With {@code Last-Event-ID: N} (as EventSource and the dashboard send it on a reconnect)
     * it first sends every matching entry after {@code N}, oldest first, then the new ones: nothing is
     * missed or sent twice. Entries written while the backlog is read are held and sent after it.
     */
    private void stream(RoutingContext ctx) {
        long resumeAfter;
        try {
            String last = ctx.request().getHeader("Last-Event-ID");
            resumeAfter = last == null ? -1 : Long.parseLong(last.trim());
        } catch (NumberFormatException e) {
            ApiErrors.badField(ctx, "Last-Event-ID", "must be the sequence number (id) of the last event received");
            return;
        }
        HttpServerResponse response = ctx.response();
        response.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-store");
        response.write(": meridian events\nretry: " + RETRY_MS + "\n\n");
        Predicate<JsonObject> filter = filter(ctx);
        // The journal's listeners are the controller's: added and taken away on its loop, in that order.
        Runnable[] stop = new Runnable[1];
        loop.run(() -> stop[0] = follow(response, filter, resumeAfter));
        long heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> {
            if (!response.closed()) {
                response.write(": keep-alive\n\n");
            }
        });
        response.closeHandler(v -> {
            vertx.cancelTimer(heartbeat);
            loop.run(() -> {
                if (stop[0] != null) { // null only if following failed: nothing to take away
                    stop[0].run();
                }
            });
        });
    }

    /** On the controller's loop: sends the backlog (if resuming), then each new entry; returns how to stop. */
    private Runnable follow(HttpServerResponse response, Predicate<JsonObject> filter, long resumeAfter) {
        long[] lastSent = {resumeAfter};
        List<JsonObject> held = new ArrayList<>();
        boolean[] live = {resumeAfter < 0};
        Runnable stop = source.listen(e -> {
            if (!filter.test(e) || response.closed()) {
                return;
            }
            if (live[0]) {
                send(response, e, lastSent);
            } else {
                held.add(e);
            }
        });
        if (!live[0]) {
            backlog(filter, resumeAfter, 0, new ArrayList<>()).onComplete(ar -> {
                if (ar.failed()) {
                    response.write(": the entries after " + resumeAfter + " could not be read: " + ar.cause().getMessage() + "\n\n");
                } else {
                    List<JsonObject> missed = ar.result();
                    if (missed.size() >= MAX_RESUME) { // there may be more before these: say where to page from
                        response.write("event: gap\ndata: " + new JsonObject().put("after", resumeAfter)
                                .put("resumed_at", missed.get(0).getLong("seq")).put("read", "/v1/events?before=" + missed.get(0).getLong("seq")).encode() + "\n\n");
                    }
                    missed.forEach(e -> send(response, e, lastSent));
                }
                held.forEach(e -> send(response, e, lastSent));
                held.clear();
                live[0] = true;
            });
        }
        return stop;
    }

    /** Each entry once, in order: one already sent (by its sequence number) is not sent again. */
    private static void send(HttpServerResponse response, JsonObject e, long[] lastSent) {
        long seq = e.getLong("seq", 0L);
        if (seq <= lastSent[0] || response.closed()) {
            return;
        }
        lastSent[0] = seq;
        response.write("id: " + seq + "\nevent: " + e.getString("kind", "event").toLowerCase() + "\ndata: " + e.encode() + "\n\n");
    }

    /** The matching entries after {@code after}, oldest first: read newest first a page at a time, at most {@link #MAX_RESUME}. */
    private Future<List<JsonObject>> backlog(Predicate<JsonObject> filter, long after, long before, List<JsonObject> newestFirst) {
        return source.events(e -> e.getLong("seq", 0L) > after && filter.test(e), PAGE, before).compose(page -> {
            newestFirst.addAll(page);
            if (page.size() < PAGE || newestFirst.size() >= MAX_RESUME) {
                List<JsonObject> out = new ArrayList<>(newestFirst.subList(0, Math.min(newestFirst.size(), MAX_RESUME)));
                Collections.reverse(out);
                return Future.succeededFuture(out);
            }
            return backlog(filter, after, page.get(page.size() - 1).getLong("seq"), newestFirst);
        });
    }
}
