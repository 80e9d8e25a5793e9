package io.meridian.daemon;

import io.meridian.act.Actuator;
import io.meridian.coord.StateJson;
import io.meridian.coord.Term;
import io.meridian.dns.DnsChange;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Names of services a reload removed: the leader withdraws them (no desired answer, so every embedded
 * server answers NXDOMAIN; the remote providers' records deleted; the service's shared state dropped),
 * and tries again on its next ticks until that is done. A follower leaves it to the leader.
 */
final class Withdrawals {

    private static final Logger log = LoggerFactory.getLogger(Withdrawals.class);

    private final Actuator act;
    private final Set<String> pending = new LinkedHashSet<>();
    private boolean inFlight;

    Withdrawals(Actuator act) {
        this.act = act;
    }

    /** A reload removed {@code gone}; what it configures (again) is not withdrawn. */
    void reconfigured(List<String> gone, List<String> configured) {
        pending.removeAll(configured);
        pending.addAll(gone);
    }

    /** Withdraws what is pending under {@code term}, unless a withdrawal is already in flight. */
    void retry(Term term) {
        if (pending.isEmpty() || inFlight) {
            return;
        }
        List<String> names = List.copyOf(pending);
        List<DnsChange> none = names.stream().map(n -> new DnsChange(n, Duration.ZERO, List.of())).toList();
        Map<String, Optional<JsonObject>> state = new LinkedHashMap<>();
        names.forEach(n -> state.put(StateJson.SERVICES + n, Optional.empty()));
        String why = "no longer configured (reload)";
        inFlight = true;
        act.desire(term, none, state, why).compose(v -> act.publish(term, none, why)).onComplete(ar -> {
            inFlight = false;
            if (ar.succeeded()) {
                names.forEach(pending::remove);
                log.info("WITHDRAW {}: no longer configured, no longer answered", names);
            } else {
                log.warn("WITHDRAW {} not done, tried again on the next tick: {}", names, ar.cause().getMessage());
            }
        });
    }
}
