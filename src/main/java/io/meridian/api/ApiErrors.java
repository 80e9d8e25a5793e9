package io.meridian.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Every API answer is JSON; every error has a stable code, a message and, for bad input, the field. */
public final class ApiErrors {

    private ApiErrors() {
    }

    public static void json(RoutingContext ctx, int status, JsonObject body) {
        json(ctx, status, Buffer.buffer(body.encodePrettily()));
    }

    /** An answer already encoded (a snapshot shared by many readers). */
    public static void json(RoutingContext ctx, int status, Buffer body) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }

    /** An answer being encoded off the loop; a failure is the router's 500. */
    public static void json(RoutingContext ctx, int status, Future<Buffer> body) {
        body.onComplete(done -> {
            if (done.succeeded()) {
                json(ctx, status, done.result());
            } else {
                ctx.fail(done.cause());
            }
        });
    }

    public static void error(RoutingContext ctx, int status, String code, String message) {
        json(ctx, status, new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)));
    }

    public static void badField(RoutingContext ctx, String field, String message) {
        json(ctx, 400, new JsonObject().put("error", new JsonObject().put("code", "invalid_field").put("field", field)
                .put("message", field + ": " + message)));
    }
}
