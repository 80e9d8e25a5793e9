package io.meridian.api;

import io.meridian.replication.DatabaseManager;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Database roles: {@code GET /v1/databases}; {@code POST /v1/databases/{cluster}/failover} (optional
 * {@code to}; {@code force}, admin only, promotes beyond the RPO), {@code .../switchover} ({@code to}
 * required: a planned move without data loss) and {@code .../ack} (lifts the cooldown). Bodies as for
 * every change: a required {@code reason}, {@code dry_run}. Every accepted or refused request is
 * journaled (who, what, why) before the answer; a dry run changes nothing and is not. A dry run's
 * {@code plan_id}, sent back as {@code expect_plan}, applies only that change: 409 {@code plan_changed} if another
 * would follow now.
 */
final class DatabaseRoutes {

    private final Optional<DatabaseManager> databases;
    private final Function<JsonObject, Future<JsonObject>> journal;
    private final LeaderForward forward;
    private final java.util.function.BooleanSupplier leads;
    private final java.util.function.Supplier<Optional<io.meridian.coord.Leadership.Leader>> leader;
    private final ControllerLoop loop;

    DatabaseRoutes(Optional<DatabaseManager> databases, Function<JsonObject, Future<JsonObject>> journal, LeaderForward forward,
                   java.util.function.BooleanSupplier leads, java.util.function.Supplier<Optional<io.meridian.coord.Leadership.Leader>> leader,
                   ControllerLoop loop) {
        this.forward = forward;
        this.loop = loop;
        this.leads = leads;
        this.leader = leader;
        this.databases = databases;
        this.journal = journal;
    }

    void mount(Router router) {
        router.get("/v1/databases").handler(loop.on(ctx -> ApiErrors.json(ctx, 200,
                new JsonObject().put("databases", databases.map(DatabaseManager::status).orElse(new io.vertx.core.json.JsonArray())))));
        router.post("/v1/databases/:cluster/failover").handler(loop.on(ctx -> change(ctx, "failover", Set.of("to"))));
        router.post("/v1/databases/:cluster/switchover").handler(loop.on(ctx -> change(ctx, "switchover", Set.of("to"))));
        router.post("/v1/databases/:cluster/ack").handler(loop.on(ctx -> change(ctx, "ack", Set.of())));
    }

    private void change(RoutingContext ctx, String action, Set<String> fields) {
        Authenticator.Caller caller = ctx.get(ApiServer.CALLER);
        String cluster = ctx.pathParam("cluster");
        if (databases.isEmpty() || !databases.get().has(cluster)) {
            ApiErrors.error(ctx, 404, "not_found", "database cluster '" + cluster + "' is not configured");
            return;
        }
        ChangeBody body;
        try {
            body = ChangeBody.parse(ctx.body().asString(), fields);
            if (action.equals("switchover") && body.to().isEmpty()) {
                throw new ChangeBody.Invalid("to", "is required: the member to promote (see GET /v1/databases)");
            }
        } catch (ChangeBody.Invalid e) {
            ApiErrors.badField(ctx, e.field, e.getMessage());
            return;
        }
        if (!ChangeRoutes.forceAllowed(ctx, caller, body)) {
            return;
        }
        if (!body.dryRun() && forward.handled(ctx, leads.getAsBoolean(), leader.get())) {
            return;
        }
        // With expect_plan, the change that would follow now must be the one previewed: else nothing changes,
        // and the dry run just made is the answer.
        if (!body.dryRun() && body.expectPlan().isPresent()) {
            DatabaseManager.Outcome now = decide(action, cluster, body, caller, true);
            if (!planId(now).equals(body.expectPlan().get())) {
                ApiErrors.json(ctx, 409, render(now, body).put("dry_run", true).put("error", new JsonObject().put("code", "plan_changed")
                        .put("message", "the state changed since the preview: nothing was applied; preview again (the change that would follow now is in \"change\")")));
                return;
            }
        }
        DatabaseManager.Outcome o = decide(action, cluster, body, caller, body.dryRun());
        JsonObject answer = render(o, body);
        int status = o.accepted() ? (body.dryRun() || action.equals("ack") ? 200 : 202) : 409;
        if (body.dryRun()) {
            ApiErrors.json(ctx, status, answer);
            return;
        }
        journal.apply(new JsonObject().put("kind", "OPERATOR").put("subject", cluster).put("actor", caller.name())
                        .put("message", (o.accepted() ? "accepted" : "refused") + " database " + action + (body.force() ? " (forced)" : "")
                                + ": " + o.message()).put("reason", body.reason()).put("forced", body.force()))
                .onSuccess(v -> ApiErrors.json(ctx, status, answer))
                .onFailure(err -> ApiErrors.error(ctx, 500, "internal", "the request could not be recorded: " + err.getMessage()));
    }

    private DatabaseManager.Outcome decide(String action, String cluster, ChangeBody body, Authenticator.Caller caller, boolean dryRun) {
        DatabaseManager db = databases.get();
        return switch (action) {
            case "failover" -> db.requests().failover(cluster, body.to(), body.force(), caller.name(), body.reason(), dryRun);
            case "switchover" -> db.requests().switchover(cluster, body.to().get(), caller.name(), body.reason(), dryRun);
            default -> dryRun ? new DatabaseManager.Outcome(true, false, "would lift the cooldown of " + cluster, Optional.empty())
                    : db.requests().ack(cluster, caller.name());
        };
    }

    private static JsonObject render(DatabaseManager.Outcome o, ChangeBody body) {
        return new JsonObject().put("accepted", o.accepted()).put("dry_run", body.dryRun()).put("forced", body.force())
                .put("message", o.message()).put("plan_id", planId(o)).put("change", o.change().map(c -> new JsonObject().put("id", c.id())
                        .put("kind", c.kind().name()).put("from", c.from().orElse(null)).put("to", c.to()).put("forced", c.forced())
                        .put("steps", new io.vertx.core.json.JsonArray(c.steps().stream().map(Enum::name).toList()))).orElse(null));
    }

    /** Names a change by what it would do (not by its id or the lag figures in its message). */
    static String planId(DatabaseManager.Outcome o) {
        String what = (o.accepted() ? "accepted" : "refused") + o.change().map(c -> "\n" + c.kind() + " " + c.from().orElse("-") + " -> " + c.to()
                + (c.forced() ? " forced " : " ") + c.steps()).orElse("");
        return java.util.HexFormat.of().formatHex(Authenticator.sha256(what)).substring(0, 16);
    }
}
