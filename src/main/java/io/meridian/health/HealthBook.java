package io.meridian.health;

import io.meridian.config.HealthSettings;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every target's health as seen from every vantage point, and the verdict they reach together.
 * {@link #observe} feeds one vantage's state machine; {@link #evaluate} counts fresh votes against
 * the quorum, sets aside vantages that look cut off, applies the minimum hold time and returns
 * what changed. Mutable but pure: no I/O, no clock; time comes in as {@code now}. One thread.
 */
public final class HealthBook {

    /** A target to track: its id, region and check rules. */
    public record TargetSpec(String id, String region, CheckRules rules) {
    }

    private HealthSettings settings;
    private final List<String> vantages;
    private final Map<String, Integer> vantageIndex = new HashMap<>();
    private final Map<String, Entry> targets = new LinkedHashMap<>();
    private Partitions partitions;
    private final Set<String> changedRegions = new HashSet<>();
    private final Impairments impaired = new Impairments();
    private final List<HealthChange> pending = new ArrayList<>();
    private long ignored;

    private static final class Entry {
        final TargetSpec spec;
        final TargetHealth[] views;
        final LatencyWindow[] latency;
        TargetVerdict verdict;

        Entry(TargetSpec spec, int vantages, Instant now) {
            this.spec = spec;
            this.views = new TargetHealth[vantages];
            this.latency = new LatencyWindow[vantages];
            this.verdict = TargetVerdict.unknown(spec.id(), spec.region(), now);
        }

        /** The same target under new rules: what every vantage saw of it, and its verdict, stay. */
        Entry(TargetSpec spec, Entry was) {
            this.spec = spec;
            this.views = was.views;
            this.latency = was.latency;
            this.verdict = was.verdict;
        }
    }

    public HealthBook(HealthSettings settings, Collection<TargetSpec> specs, Instant now) {
        this.settings = settings;
        this.vantages = settings.vantages();
        this.partitions = new Partitions(vantages, settings.partitionThreshold());
        for (int i = 0; i < vantages.size(); i++) {
            vantageIndex.put(vantages.get(i), i);
        }
        for (TargetSpec s : specs) {
            targets.put(s.id(), new Entry(s, vantages.size(), now));
        }
    }

    /**
     * A reloaded configuration: targets that stay keep every view and their verdict (their new rules
     * apply from the next result), new targets start UNKNOWN, removed ones are forgotten. Their regions
     * are evaluated again. The vantages cannot change while running.
     */
    public void reconfigure(HealthSettings next, Collection<TargetSpec> specs, Instant now) {
        if (!next.vantages().equals(vantages)) {
            throw new IllegalArgumentException("the vantages cannot change while running: " + vantages + " -> " + next.vantages());
        }
        if (next.partitionThreshold() != settings.partitionThreshold()) {
            partitions = new Partitions(vantages, next.partitionThreshold());
        }
        settings = next;
        Map<String, Entry> kept = new LinkedHashMap<>();
        for (TargetSpec s : specs) {
            Entry was = targets.remove(s.id());
            kept.put(s.id(), was != null && was.spec.region().equals(s.region()) ? new Entry(s, was) : new Entry(s, vantages.size(), now));
            if (was == null || !was.spec.equals(s)) {
                changedRegions.add(s.region());
            }
        }
        targets.values().forEach(gone -> changedRegions.add(gone.spec.region()));
        targets.clear();
        targets.putAll(kept);
    }

    /**
     * Feeds one observation to its vantage's view of the target. Observations of unknown targets or
     * from unconfigured vantages are counted in {@link #ignored()} and change nothing.
     *
     * @return the change of that vantage's view, if any (the verdict changes only in {@link #evaluate})
     */
    public Transition observe(Observation o) {
        Entry e = targets.get(o.targetId());
        Integer v = vantageIndex.get(o.vantage());
        if (e == null || v == null) {
            ignored++;
            return Transition.none();
        }
        TargetHealth view = e.views[v] != null ? e.views[v] : TargetHealth.initial(o.targetId(), o.at());
        HealthStep step = view.observe(o, e.spec.rules());
        e.views[v] = step.health();
        if (o.ok()) {
            if (e.latency[v] == null) {
                e.latency[v] = new LatencyWindow(settings.latencyWindow(), settings.ewmaAlpha());
            }
            e.latency[v].record(o.latency().toNanos() / 1e6);
        }
        return step.transition();
    }

    /**
     * Another vantage's view of a target, as it reported it, received at {@code receivedAt} on this
     * daemon's clock: that is what freshness is judged by, never the sender's clock.
     *
     * @return false for an unknown target or vantage (counted in {@link #ignored()})
     */
    public boolean adopt(String vantage, String targetId, ReportedView r, Instant receivedAt) {
        Entry e = targets.get(targetId);
        Integer v = vantageIndex.get(vantage);
        if (e == null || v == null) {
            ignored++;
            return false;
        }
        TargetHealth before = e.views[v];
        Instant since = before != null && before.state() == r.state() ? before.since() : receivedAt;
        e.views[v] = new TargetHealth(targetId, r.state(), r.lastOk() ? r.run() : 0, r.lastOk() ? 0 : r.run(), 0, 0, r.degraded(),
                since, receivedAt, vantage, r.lastOk(), r.latency(), r.reason(), r.message());
        if (!Double.isNaN(r.ewmaMillis())) {
            if (e.latency[v] == null) {
                e.latency[v] = new LatencyWindow(settings.latencyWindow(), settings.ewmaAlpha());
            }
            e.latency[v].adopt(r.ewmaMillis());
        }
        return true;
    }

    public boolean has(String targetId) {
        return targets.containsKey(targetId);
    }

    /** A vantage that no longer reports (its lease expired): its views are dropped and do not vote. */
    public void forget(String vantage) {
        Integer v = vantageIndex.get(vantage);
        if (v == null) {
            return;
        }
        for (Entry e : targets.values()) {
            e.views[v] = null;
        }
    }

    /** This vantage's report: its view of every target it has observed. */
    public java.util.Map<String, ReportedView> report(String vantage) {
        Integer v = vantageIndex.get(vantage);
        Map<String, ReportedView> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        for (Entry e : targets.values()) {
            if (e.views[v] != null && e.views[v].lastAt() != null) {
                out.put(e.spec.id(), ReportedView.of(e.views[v], e.latency[v] == null ? Double.NaN : e.latency[v].ewmaMillis()));
            }
        }
        return out;
    }

    /**
     * A probe from {@code vantage} could not be made for a reason of its own host: see {@link Impairments#report}.
     *
     * @return true when this made the vantage impaired (it was not)
     */
    public boolean localError(String vantage, String why, Instant at) {
        if (!vantageIndex.containsKey(vantage)) {
            ignored++;
            return false;
        }
        return impaired.report(vantage, why, at, pending);
    }

    /** Vantages set aside now for local errors. */
    public Map<String, Impairments.Impairment> impairedVantages() {
        return impaired.all();
    }

    /**
     * Decides every target's verdict at {@code now}; returns what changed, in order. Vantages are
     * judged cut off from the counts of this pass, which takes effect from the next evaluation
     * (one pass over the views instead of two; a partition must last seconds anyway).
     */
    public List<HealthChange> evaluate(Instant now) {
        List<HealthChange> changes = new ArrayList<>(pending);
        pending.clear();
        impaired.expire(now, changes);
        Instant freshAfter = now.minus(settings.staleness());
        int required = settings.quorum().required(vantages.size());
        int n = vantages.size();
        boolean[] setAside = new boolean[n];
        for (int v = 0; v < n; v++) {
            setAside[v] = partitions.cutOff(vantages.get(v)) || impaired.has(vantages.get(v));
        }
        int[] freshCount = new int[n];
        int[] downCount = new int[n];
        for (Entry e : targets.values()) {
            TargetVerdict before = e.verdict;
            decide(e, now, freshAfter, required, setAside, freshCount, downCount, changes);
            if (e.verdict.state() != before.state() || !e.verdict.lastFailure().equals(before.lastFailure())) {
                changedRegions.add(e.spec.region());
            }
        }
        partitions.judge(now, freshCount, downCount, changes);
        return changes;
    }

    private static boolean fresh(TargetHealth view, Instant freshAfter) {
        return view != null && view.lastAt() != null && !view.lastAt().isBefore(freshAfter);
    }

    /** Counts the votes on one target (and, for partition judgement, every fresh view) and moves its verdict. */
    private void decide(Entry e, Instant now, Instant freshAfter, int required, boolean[] setAside,
                        int[] freshCount, int[] downCount, List<HealthChange> changes) {
        int up = 0;
        int degraded = 0;
        int down = 0;
        int voters = 0;
        String lastFailure = "";
        Instant lastFailureAt = Instant.MIN;
        for (int v = 0; v < e.views.length; v++) {
            TargetHealth view = e.views[v];
            if (!fresh(view, freshAfter)) {
                continue;
            }
            freshCount[v]++;
            if (view.state() == TargetState.DOWN) {
                downCount[v]++;
            }
            if (setAside[v]) {
                continue;
            }
            voters++;
            switch (view.state()) {
                case UP -> {
                    if (view.degraded()) {
                        degraded++;
                    } else {
                        up++;
                    }
                }
                case DOWN -> down++;
                default -> { }
            }
            if (!view.lastOk() && view.lastAt().isAfter(lastFailureAt)) {
                lastFailure = view.lastReason();
                lastFailureAt = view.lastAt();
            }
        }
        TargetVerdict current = e.verdict;
        TargetState candidate = null;
        if (down >= required) {
            candidate = TargetState.DOWN;
        } else if (up + degraded >= required) {
            candidate = degraded >= required ? TargetState.DEGRADED : TargetState.UP;
        }
        Votes votes = new Votes(down, up, degraded, voters, required, vantages.size());
        if (candidate == null || candidate == current.state()) {
            e.verdict = current.with(votes, lastFailure);
            return;
        }
        // Flap damping: going DOWN is never delayed, but coming back (or changing between UP and
        // DEGRADED) waits until the current state has lasted min-hold.
        if (candidate != TargetState.DOWN && current.state() != TargetState.UNKNOWN
                && now.isBefore(current.since().plus(settings.minHold()))) {
            e.verdict = current.with(votes, lastFailure);
            return; // re-evaluated on the next tick, when the hold has passed
        }
        String reason = candidate + " by " + votes + ": " + describeVoters(e, candidate, freshAfter, setAside);
        e.verdict = new TargetVerdict(current.targetId(), current.region(), candidate, now, votes, reason, lastFailure);
        changes.add(new HealthChange(now, HealthChange.Kind.TARGET_STATE, e.spec.id(),
                "target " + e.spec.id() + " " + current.state() + " -> " + reason));
    }

    private String describeVoters(Entry e, TargetState candidate, Instant freshAfter, boolean[] setAside) {
        List<String> parts = new ArrayList<>();
        for (int v = 0; v < e.views.length; v++) {
            TargetHealth view = e.views[v];
            if (setAside[v] || !fresh(view, freshAfter)) {
                continue;
            }
            boolean agrees = candidate == TargetState.DOWN ? view.state() == TargetState.DOWN
                    : view.state() == TargetState.UP && (candidate == TargetState.DEGRADED) == view.degraded();
            if (agrees) {
                parts.add(vantages.get(v) + ": " + view.run()
                        + (candidate == TargetState.DEGRADED ? String.format(" at %.0f ms ewma", e.latency[v].ewmaMillis()) : ""));
            }
        }
        return String.join("; ", parts);
    }

    public TargetVerdict verdict(String targetId) {
        Entry e = targets.get(targetId);
        if (e == null) {
            throw new IllegalArgumentException("unknown target " + targetId);
        }
        return e.verdict;
    }

    public Map<String, TargetVerdict> verdicts() {
        Map<String, TargetVerdict> all = new LinkedHashMap<>();
        targets.forEach((id, e) -> all.put(id, e.verdict));
        return all;
    }

    /** One vantage's view of a target, if it has reported. */
    public Optional<TargetHealth> view(String targetId, String vantage) {
        Entry e = targets.get(targetId);
        Integer v = vantageIndex.get(vantage);
        return e == null || v == null ? Optional.empty() : Optional.ofNullable(e.views[v]);
    }

    /**
     * Regions with a target whose verdict state or last failure changed since the last call: the
     * only regions whose status can have changed.
     */
    public Set<String> takeChangedRegions() {
        Set<String> out = Set.copyOf(changedRegions);
        changedRegions.clear();
        return out;
    }

    public Set<String> partitionedVantages() {
        return partitions.all();
    }

    public List<String> vantages() {
        return vantages;
    }

    /** Observations that named an unknown target or vantage. */
    public long ignored() {
        return ignored;
    }

    /**
     * Mean latency EWMA over the serving targets among {@code targetIds}, per vantage that has measured
     * any (one pass over the targets for all vantages).
     */
    public Map<String, Double> latencyByVantage(Collection<String> targetIds) {
        int n = vantages.size();
        double[] sum = new double[n];
        int[] count = new int[n];
        for (String id : targetIds) {
            Entry e = targets.get(id);
            if (e == null || !e.verdict.state().serves()) {
                continue;
            }
            for (int v = 0; v < n; v++) {
                if (e.latency[v] != null) {
                    sum[v] += e.latency[v].ewmaMillis();
                    count[v]++;
                }
            }
        }
        Map<String, Double> out = new HashMap<>();
        for (int v = 0; v < n; v++) {
            if (count[v] > 0) {
                out.put(vantages.get(v), sum[v] / count[v]);
            }
        }
        return out;
    }

    /** The q-quantiles of the recent latency samples of {@code targetIds} from every vantage; NaN when none. */
    public double[] latencyPercentiles(Collection<String> targetIds, double... qs) {
        List<LatencyWindow> windows = new ArrayList<>();
        for (String id : targetIds) {
            Entry e = targets.get(id);
            if (e != null) {
                for (LatencyWindow w : e.latency) {
                    if (w != null) {
                        windows.add(w);
                    }
                }
            }
        }
        return LatencyWindow.percentiles(windows.toArray(LatencyWindow[]::new), qs);
    }
}
