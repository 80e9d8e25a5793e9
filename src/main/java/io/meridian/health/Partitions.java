package io.meridian.health;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which vantages are presumed cut off: one that sees (nearly) everything down while another fresh
 * vantage sees most things up, for {@link #CONFIRM}. Its reports are then set aside. Mutable, owned by
 * the {@link HealthBook}; pure.
 */
final class Partitions {

    /** A vantage needs fresh reports on at least this many targets before it can be judged cut off. */
    static final int MIN_TARGETS = 2;

    /** How long a vantage must look cut off before its reports are set aside. */
    static final Duration CONFIRM = Duration.ofSeconds(2);

    private final List<String> vantages;
    private final double threshold;
    private final Set<String> partitioned = new TreeSet<>();
    private final Map<String, Instant> blindSince = new HashMap<>();

    Partitions(List<String> vantages, double threshold) {
        this.vantages = vantages;
        this.threshold = threshold;
    }

    boolean cutOff(String vantage) {
        return partitioned.contains(vantage);
    }

    Set<String> all() {
        return Set.copyOf(partitioned);
    }

    /**
     * Judges every vantage from this pass's counts: {@code fresh[v]} targets with a fresh view from it,
     * {@code down[v]} of them DOWN. Adds what changed to {@code changes}.
     */
    void judge(Instant now, int[] fresh, int[] down, List<HealthChange> changes) {
        int n = vantages.size();
        // The contrast must be stark: another vantage sees less than half the threshold down. A vantage
        // that is merely a probe or two behind the others during a real outage is not blamed.
        boolean someoneSeesLife = false;
        boolean[] blind = new boolean[n];
        for (int v = 0; v < n; v++) {
            blind[v] = fresh[v] >= MIN_TARGETS && down[v] >= threshold * fresh[v];
            someoneSeesLife |= fresh[v] > 0 && down[v] < threshold / 2 * fresh[v];
        }
        for (int v = 0; v < n; v++) {
            String name = vantages.get(v);
            boolean looksCutOff = blind[v] && someoneSeesLife;
            if (!looksCutOff) {
                blindSince.remove(name);
            } else {
                blindSince.putIfAbsent(name, now);
            }
            // Only a lasting contrast counts: vantages that disagree for a moment while an outage
            // starts or ends are just a probe apart.
            boolean cutOff = looksCutOff && !now.isBefore(blindSince.get(name).plus(CONFIRM));
            if (cutOff && partitioned.add(name)) {
                changes.add(new HealthChange(now, HealthChange.Kind.VANTAGE_PARTITIONED, name, "vantage " + name + " sees "
                        + down[v] + "/" + fresh[v] + " targets down while other vantages do not: presumed cut off, its reports are set aside"));
            } else if (!cutOff && partitioned.remove(name)) {
                changes.add(new HealthChange(now, HealthChange.Kind.VANTAGE_RESTORED, name, "vantage " + name
                        + " sees " + down[v] + "/" + fresh[v] + " targets down: its reports count again"));
            }
        }
    }
}
