package io.meridian.api;

import io.meridian.coord.Leadership;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * A change asked of a daemon that does not lead goes to the leader's API with the caller's own
 * credentials; the leader checks, applies and audits it (once), and the answer says which daemon
 * applied it. Dry runs and reads are answered where they are asked.
 */
final class LeaderForward {

    private static final Logger log = LoggerFactory.getLogger(LeaderForward.class);
    static final long TIMEOUT_MS = 10_000;

    private final HttpClient client;
    private final String self;

    /**
     * @param ownCert this daemon's API certificate, if it has one: the leader's is trusted when the same
     *                certificate (or one the JVM trusts) serves it; the caller's token is never sent unverified
     */
    LeaderForward(Vertx vertx, String self, Optional<java.nio.file.Path> ownCert) {
        HttpClientOptions o = new HttpClientOptions();
        ownCert.ifPresent(c -> o.setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(c.toString())));
        this.client = vertx.createHttpClient(o);
        this.self = self;
    }

    /**
     * Answers the request by forwarding it when this daemon does not lead; returns false (and does nothing)
     * when it leads and should answer itself.
     */
    boolean handled(RoutingContext ctx, boolean leads, Optional<Leadership.Leader> leader) {
        if (leads) {
            return false;
        }
        if (leader.isEmpty() || leader.get().api().isEmpty()) {
            ApiErrors.error(ctx, 503, "no_leader", self + " does not lead and no daemon leads now (coordination: see /readyz); try again shortly");
            return true;
        }
        Leadership.Leader l = leader.get();
        String url = l.api() + ctx.request().uri();
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url).setTimeout(TIMEOUT_MS)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        Optional.ofNullable(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)).ifPresent(a -> o.putHeader(HttpHeaders.AUTHORIZATION, a));
        String body = ctx.body().asString() == null ? "" : ctx.body().asString();
        client.request(o).compose(req -> req.send(body)).compose(resp -> resp.body().map(b -> {
            JsonObject answer;
            try {
                answer = b.toJsonObject();
            } catch (RuntimeException e) {
                answer = new JsonObject().put("message", b.toString());
            }
            answer.put("applied_by", answer.getString("applied_by", l.name())).put("forwarded_by", self);
            log.info("OPERATOR {} {} forwarded to the leader {} ({}): {}", ctx.request().method(), ctx.request().path(), l.name(), l.api(),
                    resp.statusCode());
            ApiErrors.json(ctx, resp.statusCode(), answer);
            return null;
        })).onFailure(err -> ApiErrors.error(ctx, 503, "leader_unreachable", "the leader " + l.name() + " (" + l.api()
                + ") could not be reached from " + self + ": " + err.getMessage() + "; nothing was changed"));
        return true;
    }
}
