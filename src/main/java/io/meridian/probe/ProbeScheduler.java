package io.meridian.probe;

import io.meridian.clock.Clock;
import io.meridian.config.CheckType;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Runs every target's probe on its own jittered interval. Starts are staggered at random over the
 * first interval (as Consul does) so that thousands of targets do not fire at once, and each run is
 * scheduled from the previous planned start so intervals do not drift. A probe that is still in
 * flight when its next start comes skips that start rather than piling up. At most
 * {@code maxInFlight} probes run at once; the rest wait their turn, and how late each probe starts
 * is reported ({@code meridian.probe.lag}) instead of silently stretching intervals. After a failure, a
 * check with {@code recheck} probes again sooner (see {@link #recheckIfNeeded}). A probe that fails
 * for a local reason (this host short of descriptors or ports) is tried once more after
 * {@value #LOCAL_RETRY_MS} ms before its result is passed on.
 * Must be used from one Vert.x context (the controller's): no locks.
 */
public final class ProbeScheduler {

    /** Each interval is stretched or shrunk by up to this fraction (Armeria's withJitter(0.1)). */
    static final double JITTER = 0.1;

    /** After a local error, the probe is tried once more this much later before the error is reported. */
    static final long LOCAL_RETRY_MS = 50;

    /** Default bound on probes in flight at once. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 4096;

    private final Vertx vertx;
    private final Clock clock;
    private final Map<CheckType, Prober> probers;
    private final Consumer<ProbeResult> sink;
    private final Random random;
    private final List<Slot> slots = new ArrayList<>();
    private final int maxInFlight;
    private final LongConsumer lagNanos;
    private final ArrayDeque<Slot> waiting = new ArrayDeque<>();
    private int inFlight;
    private long skipped;
    private boolean stopped;

    public ProbeScheduler(Vertx vertx, Clock clock, Map<CheckType, Prober> probers, Consumer<ProbeResult> sink, Random random) {
        this(vertx, clock, probers, sink, random, DEFAULT_MAX_IN_FLIGHT, lag -> { });
    }

    /**
     * @param maxInFlight probes allowed in flight at once; a probe due beyond that waits its turn
     *                    (and its start is late, which {@code lagNanos} shows)
     * @param lagNanos    told, for every probe started, how late it started against its plan
     */
    public ProbeScheduler(Vertx vertx, Clock clock, Map<CheckType, Prober> probers, Consumer<ProbeResult> sink, Random random,
                          int maxInFlight, LongConsumer lagNanos) {
        this.vertx = vertx;
        this.clock = clock;
        this.probers = Map.copyOf(probers);
        this.sink = sink;
        this.random = random;
        this.maxInFlight = maxInFlight;
        this.lagNanos = lagNanos;
    }

    public void start(List<ProbeTarget> targets) {
        for (ProbeTarget t : targets) {
            schedule(t, (long) (random.nextDouble() * t.check().interval().toNanos()));
        }
    }

    /**
     * A reload: a target that stays as it was keeps its schedule; a removed one is no longer probed (a
     * result still in flight is dropped); a new or changed one is probed at once.
     */
    public void update(List<ProbeTarget> targets) {
        Map<String, ProbeTarget> next = new HashMap<>();
        targets.forEach(t -> next.put(t.id(), t));
        slots.removeIf(s -> {
            if (s.target.equals(next.get(s.target.id()))) {
                next.remove(s.target.id());
                return false;
            }
            s.removed = true;
            vertx.cancelTimer(s.timerId);
            waiting.remove(s);
            return true;
        });
        targets.stream().filter(t -> next.containsKey(t.id())).forEach(t -> schedule(t, 0));
    }

    private void schedule(ProbeTarget t, long delayNanos) {
        Prober prober = probers.get(t.check().type());
        if (prober == null) {
            throw new IllegalArgumentException("no prober for check type " + t.check().type() + " of " + t.id());
        }
        Slot slot = new Slot(t, prober);
        slots.add(slot);
        slot.plannedStart = clock.monotonicNanos() + delayNanos;
        slot.timerId = vertx.setTimer(Math.max(1, delayNanos / 1_000_000), id -> run(slot));
    }

    public void stop() {
        stopped = true;
        slots.forEach(s -> vertx.cancelTimer(s.timerId));
        slots.clear();
    }

    private void run(Slot slot) {
        if (stopped || slot.removed) {
            return;
        }
        if (slot.inFlight || slot.waiting) {
            skipped++; // still busy with the previous start: skip rather than pile up
        } else if (inFlight >= maxInFlight) {
            slot.waiting = true;
            slot.waitingSince = slot.plannedStart;
            waiting.add(slot);
        } else {
            launch(slot, slot.plannedStart);
        }
        long interval = slot.target.check().interval().toNanos();
        long jittered = (long) (interval * (1 + JITTER * (2 * random.nextDouble() - 1)));
        slot.plannedStart += jittered;
        long delayMs = Math.max(1, (slot.plannedStart - clock.monotonicNanos()) / 1_000_000);
        slot.timerId = vertx.setTimer(delayMs, id -> run(slot));
    }

    private void launch(Slot slot, long planned) {
        slot.inFlight = true;
        inFlight++;
        lagNanos.accept(Math.max(0, clock.monotonicNanos() - planned)); // a timer may fire a hair early
        slot.prober.probe(slot.target).onComplete(ar -> {
            slot.inFlight = false;
            inFlight--;
            if (slot.removed) {
                // removed by a reload while in flight: its result is of no one's concern
            } else if (!stopped && ar.succeeded() && ar.result().reason().local() && !slot.retriedLocal) {
                // A descriptor or port short for a moment (a burst of inbound connections): one more
                // try soon, before this vantage is called impaired.
                slot.retriedLocal = true;
                vertx.setTimer(LOCAL_RETRY_MS, id -> {
                    if (!stopped && !slot.removed && !slot.inFlight && !slot.waiting) {
                        launch(slot, clock.monotonicNanos());
                    }
                });
            } else if (!stopped && ar.succeeded()) {
                slot.retriedLocal = false;
                sink.accept(ar.result());
                recheckIfNeeded(slot, ar.result());
            }
            while (!stopped && inFlight < maxInFlight && !waiting.isEmpty()) {
                Slot next = waiting.poll();
                next.waiting = false;
                launch(next, next.waitingSince);
            }
        });
    }

    /** Starts skipped because the previous probe of the same target was still running. */
    public long skipped() {
        return skipped;
    }

    public int inFlight() {
        return inFlight;
    }

    /**
     * After a failure, probe again after {@code recheck} instead of a full interval, until {@code fall}
     * failures in a row are seen: one failure is either noise or the start of an outage, and a quick
     * second look tells which.
     */
    private void recheckIfNeeded(Slot slot, ProbeResult result) {
        slot.failuresInRow = result.ok() ? 0 : slot.failuresInRow + 1;
        var recheck = slot.target.check().recheck();
        if (result.ok() || recheck.isEmpty() || slot.failuresInRow >= slot.target.check().fall()) {
            return;
        }
        vertx.cancelTimer(slot.timerId);
        slot.plannedStart = clock.monotonicNanos() + recheck.get().toNanos();
        slot.timerId = vertx.setTimer(Math.max(1, recheck.get().toMillis()), id -> run(slot));
    }

    private static final class Slot {
        final ProbeTarget target;
        final Prober prober;
        long plannedStart;
        long timerId;
        boolean inFlight;
        boolean waiting;
        long waitingSince;
        int failuresInRow;
        boolean retriedLocal;
        boolean removed;

        Slot(ProbeTarget target, Prober prober) {
            this.target = target;
            this.prober = prober;
        }
    }
}
