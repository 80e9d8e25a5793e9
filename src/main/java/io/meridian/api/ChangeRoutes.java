package io.meridian.api;

import io.meridian.engine.Intent;
import io.meridian.engine.Outcome;
import io.meridian.engine.Request;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.function.Function;

/**
 * The change endpoints. Each takes a JSON body with a required {@code reason}; {@code dry_run: true}
 * returns the exact plan it would apply and changes nothing; {@code force: true} (admin only) goes
 * past the safety rules and is recorded as forced. 200 when taken, 409 when a safety rule refused
 * it (the body says which), 400 for bad input, 404 for an unknown region or service.
 */
final class ChangeRoutes {

    /** Builds the intent from the path and the body, or throws {@link ChangeBody.Invalid}. */
    private interface IntentOf {
        Intent from(RoutingContext ctx, ChangeBody body) throws ChangeBody.Invalid;
    }

    private final StatusSource source;
    private final LeaderForward forward;
    private final ControllerLoop loop;

    ChangeRoutes(StatusSource source, LeaderForward forward, ControllerLoop loop) {
        this.forward = forward;
        this.loop = loop;
        this.source = source;
    }

    void mount(Router router) {
        route(router, "/v1/regions/:region/drain", Set.of("service", "expires_in"),
                (ctx, b) -> new Intent.Drain(ctx.pathParam("region"), b.service(), b.expiresIn()));
        route(router, "/v1/regions/:region/undrain", Set.of("service"),
                (ctx, b) -> new Intent.Undrain(ctx.pathParam("region"), b.service()));
        route(router, "/v1/failover", Set.of("service", "to", "expires_in"),
                (ctx, b) -> new Intent.Failover(required(b.service().orElse(null), "service"), required(b.to().orElse(null), "to"), b.expiresIn()));
        route(router, "/v1/failback", Set.of("service"), (ctx, b) -> new Intent.Failback(required(b.service().orElse(null), "service")));
        route(router, "/v1/pause", Set.of("service", "expires_in"), (ctx, b) -> new Intent.Pause(b.service(), b.expiresIn()));
        route(router, "/v1/resume", Set.of("service"), (ctx, b) -> new Intent.Resume(b.service()));
        route(router, "/v1/ack", Set.of("service"), (ctx, b) -> new Intent.Acknowledge(required(b.service().orElse(null), "service")));
    }

    private static String required(String value, String field) throws ChangeBody.Invalid {
        if (value == null || value.isBlank()) {
            throw new ChangeBody.Invalid(field, "is required");
        }
        return value;
    }

    private void route(Router router, String path, Set<String> fields, IntentOf intentOf) {
        router.post(path).handler(loop.on(ctx -> change(ctx, ctx.body().asString(), fields, intentOf)));
    }

    private void change(RoutingContext ctx, String text, Set<String> fields, IntentOf intentOf) {
        Authenticator.Caller caller = ctx.get(ApiServer.CALLER);
        ChangeBody body;
        Intent intent;
        try {
            body = ChangeBody.parse(text, fields);
            intent = intentOf.from(ctx, body);
        } catch (ChangeBody.Invalid e) {
            ApiErrors.badField(ctx, e.field, e.getMessage());
            return;
        }
        if (!forceAllowed(ctx, caller, body)) {
            return;
        }
        if (!body.dryRun() && forward.handled(ctx, source.leads(), source.leader())) {
            return;
        }
        Request request = new Request(intent, caller.name(), body.reason(), body.force());
        Function<Outcome, JsonObject> render = o -> new JsonObject()
                .put("accepted", o.accepted())
                .put("dry_run", body.dryRun())
                .put("forced", body.force())
                .put("message", o.message())
                .put("plan", AuditJson.plan(o.plan()))
                .put("readiness", AuditJson.readiness(o.readiness()))
                .put("scale_requests", AuditJson.scaleRequests(o.asks()))
                .put("plan_id", planId(o))
                .put("applied_by", source.config().vantage());
        try {
            // With expect_plan, the plan that would follow now must be the one previewed: else nothing changes,
            // and that plan (the dry run just made) is the answer.
            io.vertx.core.Future<Outcome> changed = body.expectPlan().isEmpty() || body.dryRun() ? io.vertx.core.Future.succeededFuture(null)
                    : source.submit(request, true).map(now -> planId(now).equals(body.expectPlan().get()) ? null : now);
            changed.compose(now -> now != null
                            ? io.vertx.core.Future.succeededFuture(now).onSuccess(o -> ApiErrors.json(ctx, 409, render.apply(o).put("error", new JsonObject()
                                    .put("code", "plan_changed").put("message", "the state changed since the preview: nothing was applied; "
                                            + "preview again (the plan that would follow now is in \"plan\")"))))
                            : source.submit(request, body.dryRun()).onSuccess(o -> ApiErrors.json(ctx, o.accepted() ? 200 : 409, render.apply(o))))
                    .onFailure(err -> failure(ctx, err));
        } catch (IllegalArgumentException e) {
            failure(ctx, e);
        }
    }

    /** Names a plan by what it would do (not by when): the same answers for the same services give the same id. */
    static String planId(Outcome o) {
        StringBuilder b = new StringBuilder(o.accepted() ? "accepted" : "refused");
        o.plan().actions().forEach(a -> b.append('\n').append(a.service()).append(' ').append(a.kind()).append(' ').append(a.answers().describe()));
        o.plan().paused().forEach(a -> b.append("\npaused ").append(a.service()).append(' ').append(a.answers().describe()));
        return java.util.HexFormat.of().formatHex(Authenticator.sha256(b.toString())).substring(0, 16);
    }

    /** {@code force} needs an admin: answers 403 and returns false for anyone else. */
    static boolean forceAllowed(RoutingContext ctx, Authenticator.Caller caller, ChangeBody body) {
        if (body.force() && !caller.role().allows(Role.ADMIN)) {
            ApiErrors.error(ctx, 403, "forbidden", "force needs the admin role; " + caller.name() + " is " + caller.role().name().toLowerCase());
            return false;
        }
        return true;
    }

    private static void failure(RoutingContext ctx, Throwable err) {
        if (err instanceof IllegalArgumentException) {
            boolean unknown = err.getMessage().contains("is not configured");
            ApiErrors.error(ctx, unknown ? 404 : 400, unknown ? "not_found" : "invalid", err.getMessage());
        } else if (err instanceof java.io.IOException || err instanceof java.io.UncheckedIOException) {
            // The state directory refused a write before the change was taken (disk full, read-only).
            ApiErrors.error(ctx, 503, "state_unwritable", "nothing changed: " + err.getMessage());
        } else {
            ApiErrors.error(ctx, 500, "internal", "the change could not be recorded: " + err.getMessage());
        }
    }
}
