package io.meridian.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.Locale;

/**
 * The operator dashboard at {@code /ui/} (plain ES modules and CSS from the jar, uPlot from its
 * webjar) and the headers every page and API answer carries: a Content-Security-Policy that allows
 * nothing inline and nothing from elsewhere, no framing, no sniffing, no referrer, and no caching of
 * API answers. The page itself needs no token; everything it shows comes from the API, with one.
 */
final class UiRoutes {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private UiRoutes() {
    }

    /** Headers first (every route, the 404s too), then the pages; before authentication. */
    static void mountPublic(Router router) {
        router.route().order(-2).handler(UiRoutes::headers);
        router.get("/ui").handler(ctx -> { // a route for /ui matches /ui/ as well
            if (ctx.request().path().equals("/ui")) {
                ctx.redirect("/ui/");
            } else {
                ctx.next();
            }
        });
        router.get("/ui/vendor/uplot/*").handler(StaticHandler.create("META-INF/resources/webjars/uplot/1.6.30/dist")
                .setCachingEnabled(false));
        router.get("/ui/*").handler(StaticHandler.create("ui").setCachingEnabled(false).setIndexPage("index.html"));
    }

    /** {@code GET /v1/whoami}: the caller's name and role, so the page can disable what the role may not do. */
    static void mountWhoami(Router router) {
        router.get("/v1/whoami").handler(ctx -> {
            Authenticator.Caller c = ctx.get(ApiServer.CALLER);
            ApiErrors.json(ctx, 200, new JsonObject().put("name", c.name()).put("role", c.role().name().toLowerCase(Locale.ROOT)));
        });
    }

    private static void headers(RoutingContext ctx) {
        var h = ctx.response().headers();
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("X-Frame-Options", "DENY");
        if (ctx.request().path().startsWith("/v1/")) {
            h.set(HttpHeaders.CACHE_CONTROL, "no-store");
        }
        ctx.next();
    }
}
