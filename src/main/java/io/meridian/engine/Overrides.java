package io.meridian.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The standing operator decisions the engine obeys. Mutable; owned by the engine (one thread). */
final class Overrides {

    static final String ALL = ManualOverride.ALL;

    private final List<ManualOverride> all = new ArrayList<>();

    Overrides copy() {
        Overrides c = new Overrides();
        c.all.addAll(all);
        return c;
    }

    /** Adds, or replaces the one of the same kind and target. */
    void put(ManualOverride o) {
        all.removeIf(x -> x.sameKey(o));
        all.add(o);
    }

    /** Removes the override of that kind and target; returns it if there was one. */
    Optional<ManualOverride> remove(ManualOverride.Kind kind, String region, String service) {
        for (ManualOverride o : all) {
            if (o.kind() == kind && (kind == ManualOverride.Kind.PIN || o.region().equals(region)) && o.service().equals(service)) {
                all.remove(o);
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** Removes and returns the overrides that have expired. */
    List<ManualOverride> expire(Instant now) {
        List<ManualOverride> gone = all.stream().filter(o -> o.expired(now)).toList();
        all.removeAll(gone);
        return gone;
    }

    Set<String> drainedFor(String service) {
        Set<String> out = new HashSet<>();
        for (ManualOverride o : all) {
            if (o.kind() == ManualOverride.Kind.DRAIN && (o.service().equals(ALL) || o.service().equals(service))) {
                out.add(o.region());
            }
        }
        return out.isEmpty() ? Set.of() : out;
    }

    /** The regions drained for {@code service} whose drain still ramps at {@code now}. */
    Set<String> rampingFor(String service, Instant now) {
        Set<String> out = new HashSet<>();
        for (ManualOverride o : all) {
            if (o.kind() == ManualOverride.Kind.DRAIN && o.ramping(now) && (o.service().equals(ALL) || o.service().equals(service))) {
                out.add(o.region());
            }
        }
        return out.isEmpty() ? Set.of() : out;
    }

    /** Whether a drain or the pin of {@code service} still ramps at {@code now}: its answer moves with time. */
    boolean ramps(String service, Instant now) {
        return !rampingFor(service, now).isEmpty() || pin(service).filter(p -> p.ramping(now)).isPresent();
    }

    /** Removes the overrides that have expired and ends the ramps whose deadline has come; returns the events that say so. */
    List<Event> lapse(Instant now) {
        List<Event> events = new ArrayList<>();
        expire(now).forEach(gone -> events.add(new Event(now, Event.Kind.OPERATOR, gone.service(), "expired: " + gone.describe())));
        for (ManualOverride o : all.stream().filter(o -> o.rampUntil().isPresent() && !o.ramping(now)).toList()) {
            all.set(all.indexOf(o), o.rampOver());
            events.add(new Event(now, Event.Kind.SCALE, o.region(), "ramp over: the " + (o.kind() == ManualOverride.Kind.PIN
                    ? "manual failover of " + o.service() + " to " : "drain of ") + o.region()
                    + " completes at its scale deadline, whatever capacity the others have"));
        }
        return events;
    }

    boolean paused(String service) {
        return all.stream().anyMatch(o -> o.kind() == ManualOverride.Kind.PAUSE && (o.service().equals(ALL) || o.service().equals(service)));
    }

    Optional<ManualOverride> pin(String service) {
        return all.stream().filter(o -> o.kind() == ManualOverride.Kind.PIN && o.service().equals(service)).findFirst();
    }

    List<ManualOverride> list() {
        return List.copyOf(all);
    }
}
