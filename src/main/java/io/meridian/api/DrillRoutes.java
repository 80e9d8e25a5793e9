package io.meridian.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * Disaster-recovery drills: {@code GET /v1/drills} (configured drills, the running one, past reports),
 * {@code POST /v1/drills/{name}/run} ({@code reason}; {@code dry_run} checks readiness and shows the
 * plan), {@code POST /v1/drills/abort} ({@code reason}: the region is restored), and
 * {@code GET /v1/drills/reports/{id}} (JSON, or Markdown with {@code ?format=markdown}). Runs go to the leader.
 */
final class DrillRoutes {

    private final DrillSource drills;
    private final StatusSource status;
    private final LeaderForward forward;
    private final ControllerLoop loop;

    DrillRoutes(DrillSource drills, StatusSource status, LeaderForward forward, ControllerLoop loop) {
        this.loop = loop;
        this.drills = drills;
        this.status = status;
        this.forward = forward;
    }

    void mount(Router router) {
        router.get("/v1/drills").handler(loop.on(ctx -> ApiErrors.json(ctx, 200, drills.list())));
        router.get("/v1/drills/reports/:id").handler(loop.on(this::report));
        router.post("/v1/drills/abort").handler(loop.on(ctx -> change(ctx, (caller, body) -> drills.abort(caller.name(), body.reason(), body.dryRun()))));
        router.post("/v1/drills/:name/run").handler(loop.on(ctx -> change(ctx,
                (caller, body) -> drills.run(ctx.pathParam("name"), caller.name(), body.reason(), body.dryRun()))));
    }

    private interface Call {
        Future<JsonObject> apply(Authenticator.Caller caller, ChangeBody body);
    }

    private void change(RoutingContext ctx, Call call) {
        Authenticator.Caller caller = ctx.get(ApiServer.CALLER);
        ChangeBody body;
        try {
            body = ChangeBody.parse(ctx.body().asString(), Set.of());
            if (body.force()) {
                throw new ChangeBody.Invalid("force", "is not taken by drills: a drill whose regions are not ready does not run");
            }
        } catch (ChangeBody.Invalid e) {
            ApiErrors.badField(ctx, e.field, e.getMessage());
            return;
        }
        if (!body.dryRun() && forward.handled(ctx, status.leads(), status.leader())) {
            return;
        }
        try {
            call.apply(caller, body).onSuccess(o -> ApiErrors.json(ctx, o.getBoolean("accepted", false) ? 200 : 409, o))
                    .onFailure(err -> ApiErrors.error(ctx, err instanceof IllegalArgumentException ? 404 : 500,
                            err instanceof IllegalArgumentException ? "not_found" : "internal", err.getMessage()));
        } catch (IllegalArgumentException e) {
            ApiErrors.error(ctx, 404, "not_found", e.getMessage());
        }
    }

    private void report(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if ("markdown".equals(ctx.queryParams().get("format"))) {
            drills.markdown(id).ifPresentOrElse(md -> ctx.response().putHeader("Content-Type", "text/markdown; charset=utf-8").end(md),
                    () -> ApiErrors.error(ctx, 404, "not_found", "no drill report '" + id + "'"));
            return;
        }
        drills.report(id).ifPresentOrElse(r -> ApiErrors.json(ctx, 200, r), () -> ApiErrors.error(ctx, 404, "not_found", "no drill report '" + id + "'"));
    }
}
