package io.meridian.api;

import io.meridian.config.ConnectionLimits;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps the API's inbound connections within {@code api.limits}: at most {@code max-connections}
 * open (and {@code max-connections-per-source} from one address; others are closed on accept), a
 * connection with no request in progress is closed after {@code idle-timeout} even if it trickles
 * bytes (a request head must arrive whole within it), and a request whose body has not all arrived
 * {@code request-timeout} after its head is cut off. A long response (the event stream) is not
 * cut: only receiving is bounded.
 */
final class ConnectionGuard {

    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

    private final Vertx vertx;
    private final ConnectionLimits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, Integer> bySource = new ConcurrentHashMap<>();
    private final Map<HttpConnection, State> states = new ConcurrentHashMap<>();
    private final Counter refused;
    private final Counter idleClosed;
    private final Counter slowClosed;

    /** Requests in progress on one connection, and the timer that closes it while it has none. */
    private static final class State {
        int inProgress;
        long idleTimer = -1;
    }

    ConnectionGuard(Vertx vertx, ConnectionLimits limits, MeterRegistry registry) {
        this.vertx = vertx;
        this.limits = limits;
        Gauge.builder("meridian.api.connections", open::get).description("connections open to the API").register(registry);
        refused = Counter.builder("meridian.api.connections.refused")
                .description("API connections closed on accept because a connection bound was reached").register(registry);
        idleClosed = Counter.builder("meridian.api.connections.closed").tag("reason", "idle")
                .description("API connections closed by the server").register(registry);
        slowClosed = Counter.builder("meridian.api.connections.closed").tag("reason", "slow")
                .description("API connections closed by the server").register(registry);
    }

    /** For {@code HttpServer.connectionHandler}: admits or closes a new connection. */
    void admit(HttpConnection conn) {
        String source = conn.remoteAddress() == null ? "?" : conn.remoteAddress().hostAddress();
        boolean overTotal = open.incrementAndGet() > limits.maxConnections();
        boolean overSource = bySource.merge(source, 1, Integer::sum) > limits.maxPerSource();
        conn.closeHandler(v -> {
            open.decrementAndGet();
            bySource.computeIfPresent(source, (k, n) -> n == 1 ? null : n - 1);
            State s = states.remove(conn);
            if (s != null) {
                vertx.cancelTimer(s.idleTimer);
            }
        });
        if (overTotal || overSource) {
            refused.increment();
            conn.close();
            return;
        }
        State s = new State();
        states.put(conn, s);
        armIdle(conn, s);
    }

    /** The first route of the router: counts the request in progress until its response ends. */
    void track(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        State s = states.get(req.connection());
        if (s != null) {
            s.inProgress++;
            vertx.cancelTimer(s.idleTimer);
            boolean[] answered = {false};
            if (!req.isEnded()) {
                vertx.setTimer(limits.messageTimeout().toMillis(), id -> {
                    // Only a request still waiting for its body: one answered already (a static file whose handler
                    // never read the end of a GET) must not take down what its keep-alive connection carries next.
                    if (!answered[0] && !req.isEnded() && states.containsKey(req.connection())) {
                        slowClosed.increment();
                        log.warn("API closed the connection of {}: the body of {} {} did not all arrive within {} ms", req.remoteAddress(),
                                req.method(), req.path(), limits.messageTimeout().toMillis());
                        req.connection().close(); // the body did not arrive in time
                    }
                });
            }
            ctx.addEndHandler(v -> {
                answered[0] = true;
                if (--s.inProgress == 0 && states.containsKey(req.connection())) {
                    armIdle(req.connection(), s);
                }
            });
        }
        ctx.next();
    }

    private void armIdle(HttpConnection conn, State s) {
        s.idleTimer = vertx.setTimer(limits.idleTimeout().toMillis(), id -> {
            if (s.inProgress == 0) {
                idleClosed.increment();
                conn.close();
            }
        });
    }
}
