package io.meridian.coord.etcd;

import io.meridian.clock.Clock;
import io.meridian.config.CoordinationConfig;
import io.meridian.coord.Coordination;
import io.meridian.coord.Leadership;
import io.meridian.coord.ObservationExchange;
import io.meridian.coord.SharedState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.Function;

/**
 * The daemons of all regions through an etcd cluster: one jetcd client on the daemon's own Vert.x,
 * one lease, the leader election, the vantage reports and the guarded shared state on it.
 *
 * <pre>{@code
 * Coordination c = new EtcdCoordination(vertx, context, clock, config.coordination(), "us-east", () -> "http://10.0.1.5:8080", history);
 * c.start();   // campaigns, publishes and watches from now on; never blocks
 * }</pre>
 */
public final class EtcdCoordination implements Coordination {

    private static final Logger log = LoggerFactory.getLogger(EtcdCoordination.class);

    private final EtcdSession session;
    private final EtcdLeadership leadership;
    private final EtcdSharedState shared;
    private final EtcdObservations observations;

    /**
     * @param api     this daemon's API URL, written beside its leader key (followers forward changes there)
     * @param history the daemon's own journal, which keeps a copy of every shared journal entry
     */
    public EtcdCoordination(Vertx vertx, Context context, Clock clock, CoordinationConfig config, String vantage,
                            java.util.function.Supplier<String> api,
                            Function<JsonObject, Future<JsonObject>> history) {
        this.session = new EtcdSession(vertx, context, clock, config, vantage);
        this.leadership = new EtcdLeadership(session, api);
        this.shared = new EtcdSharedState(session, leadership, history);
        this.observations = new EtcdObservations(session, shared);
    }

    @Override
    public String kind() {
        return "etcd";
    }

    @Override
    public Future<Void> start() {
        log.info("COORD etcd {} under {} (lease {} ms, grace {} ms, reports every {} ms)", session.config.endpoints(),
                session.config.prefix(), session.config.leaseTtl().toMillis(), session.config.grace().toMillis(),
                session.config.reassert().toMillis());
        observations.start();
        return leadership.start();
    }

    @Override
    public Future<Void> stop() {
        observations.stop();
        return leadership.stop().compose(v -> session.vertx.executeBlocking(() -> {
            session.client.close();
            return null;
        }));
    }

    @Override
    public Leadership leadership() {
        return leadership;
    }

    @Override
    public ObservationExchange observations() {
        return observations;
    }

    @Override
    public SharedState shared() {
        return shared;
    }

    @Override
    public Optional<String> unavailable() {
        return session.unavailable();
    }

    /** Vantage reports written and their bytes since the start. */
    public long[] reportTraffic() {
        return new long[] {observations.writes(), observations.bytes()};
    }
}
