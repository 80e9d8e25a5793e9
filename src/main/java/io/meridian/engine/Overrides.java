package io.meridian.engine;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Operator intent the engine obeys: drained regions (everywhere or for one service) and paused
 * automation (everywhere or for one service). Mutable; owned by the engine.
 */
final class Overrides {

    static final String ALL = "*";

    private final Map<String, Set<String>> drained = new HashMap<>();
    private final Set<String> paused = new HashSet<>();

    /** @param service a service name, or {@link #ALL} */
    boolean drain(String region, String service) {
        return drained.computeIfAbsent(service, s -> new HashSet<>()).add(region);
    }

    boolean undrain(String region, String service) {
        Set<String> set = drained.get(service);
        return set != null && set.remove(region);
    }

    boolean pause(String service) {
        return paused.add(service);
    }

    boolean resume(String service) {
        return paused.remove(service);
    }

    Set<String> drainedFor(String service) {
        Set<String> everywhere = drained.getOrDefault(ALL, Set.of());
        Set<String> here = drained.getOrDefault(service, Set.of());
        if (here.isEmpty()) {
            return Set.copyOf(everywhere);
        }
        Set<String> all = new HashSet<>(everywhere);
        all.addAll(here);
        return all;
    }

    boolean paused(String service) {
        return paused.contains(ALL) || paused.contains(service);
    }
}
