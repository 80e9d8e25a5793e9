package io.meridian.api;

import io.meridian.config.ReloadOutcome;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.function.Function;

/**
 * {@code POST /v1/reload} (admin): loads this daemon's configuration directory again. 200 taken (its
 * changes listed), 422 the configuration has problems, 409 it cannot be taken while running; a refused
 * reload changes nothing. Not forwarded to the leader: each daemon has its own configuration.
 */
final class ReloadRoute {

    private ReloadRoute() {
    }

    /** @param reload the reload, given the caller's name (for the journal) */
    static void mount(Router router, Function<String, Future<ReloadOutcome>> reload, ControllerLoop loop) {
        router.post("/v1/reload").handler(loop.on(ctx -> {
            Authenticator.Caller caller = ctx.get(ApiServer.CALLER);
            if (!caller.role().allows(Role.ADMIN)) {
                ApiErrors.error(ctx, 403, "forbidden", caller.name() + " is " + caller.role().name().toLowerCase(Locale.ROOT)
                        + " but a reload needs admin");
                return;
            }
            reload.apply(caller.name()).onSuccess(o -> answer(ctx, o))
                    .onFailure(err -> ApiErrors.error(ctx, 500, "internal", "the reload failed: " + err.getMessage()));
        }));
    }

    private static void answer(RoutingContext ctx, ReloadOutcome o) {
        int status = switch (o.kind()) {
            case APPLIED -> 200;
            case INVALID -> 422;
            case REFUSED -> 409;
        };
        ApiErrors.json(ctx, status, json(o));
    }

    static JsonObject json(ReloadOutcome o) {
        return new JsonObject().put("applied", o.applied()).put("outcome", o.kind().name().toLowerCase(Locale.ROOT))
                .put("changes", new JsonArray(o.changes())).put("problems", new JsonArray(o.problems())).put("message", o.summary());
    }
}
