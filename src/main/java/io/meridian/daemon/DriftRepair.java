package io.meridian.daemon;

import io.meridian.act.Actuator;
import io.meridian.clock.Clock;
import io.meridian.coord.Coordination;
import io.meridian.coord.Term;
import io.meridian.dns.DnsChange;
import io.meridian.dns.DnsProvider;
import io.meridian.engine.Engine;
import io.meridian.engine.Event;
import io.meridian.policy.DesiredAnswers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads back what a remote provider serves for every published answer; records that differ (edited by
 * hand) are reported once per name while they stay so and, in repair mode, published again by the
 * leader through the actuator. A follower checks nothing: the leader owns the remote providers.
 */
final class DriftRepair {

    private static final Logger log = LoggerFactory.getLogger(DriftRepair.class);

    private final Clock clock;
    private final Coordination coord;
    private final Actuator act;
    private final Engine engine;
    private final ControllerMetrics metrics;
    private final Consumer<Event> record;
    private final Map<String, Set<String>> knownDrift = new HashMap<>();
    private boolean repairing;

    DriftRepair(Clock clock, Coordination coord, Actuator act, Engine engine, ControllerMetrics metrics, Consumer<Event> record) {
        this.clock = clock;
        this.coord = coord;
        this.act = act;
        this.engine = engine;
        this.metrics = metrics;
        this.record = record;
    }

    /** True while a repair is in flight: a new publish waits, so an older repair cannot land after it. */
    boolean repairing() {
        return repairing;
    }

    void reconcile(DnsProvider provider, boolean repair) {
        Map<String, DesiredAnswers> published = engine.published();
        if (repairing || published.isEmpty() || coord.leadership().acting().isEmpty()) {
            return;
        }
        List<DnsChange> changes = published.values().stream().map(Actuator::dnsChange).toList();
        provider.drift(changes).onSuccess(drifted -> {
            // Said once per name while it stays drifted (observe mode would otherwise repeat it every round).
            Set<String> known = knownDrift.computeIfAbsent(provider.name(), p -> new HashSet<>());
            known.retainAll(drifted.stream().map(DnsChange::name).toList());
            for (DnsChange c : drifted) {
                if (!known.add(c.name()) && !repair) {
                    continue;
                }
                metrics.drift(provider.name(), repair);
                record.accept(new Event(clock.wallTime(), Event.Kind.DRIFT, c.name(), "records of " + c.name() + " at " + provider.name()
                        + " differ from what Meridian published" + (repair ? "; publishing them again" : " (observe mode: left as they are)")));
            }
            Optional<Term> term = coord.leadership().acting();
            if (repair && !drifted.isEmpty() && !repairing && term.isPresent()) {
                repairing = true;
                act.repair(term.get(), provider, drifted).onComplete(ar -> {
                    repairing = false;
                    if (ar.failed()) {
                        log.error("DRIFT repair at {} failed: {}", provider.name(), ar.cause().getMessage());
                    }
                });
            }
        }).onFailure(err -> log.warn("DRIFT check at {} failed: {}", provider.name(), err.getMessage()));
    }
}
