package io.meridian.act;

import io.meridian.config.HealthSettings;
import io.meridian.config.Quorum;
import io.meridian.coord.Coordination;
import io.meridian.coord.Leadership;
import io.meridian.coord.ObservationExchange;
import io.meridian.coord.SharedState;
import io.meridian.coord.StaleTermException;
import io.meridian.coord.Term;
import io.meridian.coord.VantageReport;
import io.meridian.dns.DnsChange;
import io.meridian.dns.DnsProvider;
import io.meridian.dns.RecordSet;
import io.meridian.health.CheckRules;
import io.meridian.health.HealthBook;
import io.meridian.health.ReportedView;
import io.meridian.health.TargetState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random traces of leadership changes, publishes decided under current and stale terms, and slow
 * providers, through the real {@link Actuator}; and random report arrivals, lease expiries and time
 * through the real {@link HealthBook}. Seeded: a failure names its seed.
 */
class TermPropertiesTest {

    private static final int TRACES = Integer.getInteger("meridian.traces", 500);
    private static final long FIRST_SEED = Long.getLong("meridian.seed", 20261202L);

    /** Leadership and a journal that behave like etcd's: a write under a term that is not current is refused. */
    static final class World implements Coordination, Leadership, ObservationExchange, SharedState {
        Optional<Term> current = Optional.of(new Term(1, 10, "a"));
        final List<JsonObject> journal = new ArrayList<>();

        @Override public String kind() { return "test"; }
        @Override public Future<Void> start() { return Future.succeededFuture(); }
        @Override public Future<Void> stop() { return Future.succeededFuture(); }
        @Override public Leadership leadership() { return this; }
        @Override public ObservationExchange observations() { return this; }
        @Override public SharedState shared() { return this; }
        @Override public Optional<String> unavailable() { return Optional.empty(); }
        @Override public Optional<Term> acting() { return current; }
        @Override public Optional<Leader> leader() { return current.map(t -> new Leader(t.holder(), "", t)); }
        @Override public void onChange(Consumer<Optional<Term>> listener) { }
        @Override public void source(Supplier<VantageReport> report) { }
        @Override public void changed() { }
        @Override public void onReport(BiConsumer<String, Optional<VantageReport>> listener) { }

        private Future<Void> guard(Term t) {
            return current(t) ? Future.succeededFuture() : Future.failedFuture(new StaleTermException(t, "not current"));
        }

        @Override
        public Future<JsonObject> journal(Term t, JsonObject entry) {
            return guard(t).map(v -> {
                journal.add(entry.copy());
                return entry;
            });
        }

        @Override public Future<List<JsonObject>> readJournal(Predicate<JsonObject> filter, int limit) { return Future.succeededFuture(journal); }
        @Override public Future<Void> put(Term t, Map<String, Optional<JsonObject>> values) { return guard(t); }
        @Override public Future<Map<String, JsonObject>> get(String prefix) { return Future.succeededFuture(Map.of()); }
        @Override public void watch(String prefix, BiConsumer<String, Optional<JsonObject>> listener) { }
    }

    /** A remote provider that answers later (the trace decides when) and records what term was current at each call. */
    static final class SlowSink implements DnsProvider {
        final World world;
        final List<Promise<Void>> pending = new ArrayList<>();
        final List<String> calls = new ArrayList<>();

        SlowSink(World world) {
            this.world = world;
        }

        @Override public String name() { return "sink"; }

        @Override
        public Future<Void> apply(List<DnsChange> changes) {
            calls.add(changes.get(0).name() + "@" + world.current.map(Term::token).orElse(-1L) + "#" + world.journal.size());
            Promise<Void> p = Promise.promise();
            pending.add(p);
            return p.future();
        }
    }

    @Test
    void noActionRunsUnderATermThatIsNotCurrentNorWithoutAJournaledIntent() {
        for (int i = 0; i < TRACES; i++) {
            long seed = FIRST_SEED + i;
            try {
                actuatorTrace(new Random(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("trace with seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    private void actuatorTrace(Random rnd) {
        World w = new World();
        SlowSink sink = new SlowSink(w);
        DnsProvider embedded = new DnsProvider() {
            @Override public String name() { return "embedded"; }
            @Override public Future<Void> apply(List<DnsChange> changes) { return Future.succeededFuture(); }
        };
        Actuator act = new Actuator(w, Optional.of(sink), embedded, null, () -> "t");
        List<Term> seen = new ArrayList<>(List.of(w.current.get()));
        long token = 10;
        Map<String, Long> lastAppliedToken = new HashMap<>();
        for (int step = 0; step < 80; step++) {
            int op = rnd.nextInt(10);
            if (op < 2) {
                // a new leader (or none for a while): tokens only grow
                token += 1 + rnd.nextInt(5);
                w.current = rnd.nextInt(4) == 0 ? Optional.empty() : Optional.of(new Term(seen.size() + 1, token, "d" + rnd.nextInt(3)));
                w.current.ifPresent(seen::add);
            } else if (op < 7) {
                Term decidedUnder = seen.get(rnd.nextInt(seen.size()));
                String service = "s" + rnd.nextInt(3);
                int before = sink.calls.size();
                act.publishWriteName(decidedUnder, List.of(new DnsChange(service, Duration.ofSeconds(5),
                        List.of(new RecordSet("r", 1, List.of("1.2.3.4"))))), "trace");
                if (sink.calls.size() > before) {
                    String call = sink.calls.get(sink.calls.size() - 1);
                    long atCall = Long.parseLong(call.substring(call.indexOf('@') + 1, call.indexOf('#')));
                    assertThat(atCall).as("a remote sink called under " + decidedUnder.describe() + " while another term was current")
                            .isEqualTo(decidedUnder.token());
                    int journaled = Integer.parseInt(call.substring(call.indexOf('#') + 1));
                    assertThat(w.journal.subList(0, journaled).stream().anyMatch(e -> e.getString("phase").equals("intent")
                            && e.getString("subject").equals(service) && e.getLong("token") == decidedUnder.token()))
                            .as("the intent is journaled before the action, under its term").isTrue();
                    Long last = lastAppliedToken.put(service, decidedUnder.token());
                    assertThat(last == null || last <= decidedUnder.token()).as("an older term acted after a newer one on " + service).isTrue();
                }
            } else if (!sink.pending.isEmpty()) {
                Promise<Void> p = sink.pending.remove(rnd.nextInt(sink.pending.size()));
                if (rnd.nextBoolean()) {
                    p.complete();
                } else {
                    p.fail("provider down");
                }
            }
        }
        for (JsonObject e : w.journal) {
            assertThat(e.containsKey("token")).isTrue();
        }
    }

    @Test
    void aVantageVotesOnlyWhileItsReportsAreFreshAndItsLeaseLives() {
        for (int i = 0; i < TRACES; i++) {
            long seed = FIRST_SEED + i;
            try {
                votesTrace(new Random(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("votes trace with seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    private void votesTrace(Random rnd) {
        List<String> vantages = List.of("a", "b", "c");
        Duration staleness = Duration.ofSeconds(2);
        HealthSettings settings = new HealthSettings(vantages, Quorum.majority(), staleness, 0.9, Duration.ZERO, 8, 0.3);
        List<HealthBook.TargetSpec> specs = List.of(new HealthBook.TargetSpec("t1", "r", CheckRules.of(2, 2)),
                new HealthBook.TargetSpec("t2", "r", CheckRules.of(2, 2)));
        Instant now = Instant.parse("2026-12-02T00:00:00Z");
        HealthBook book = new HealthBook(settings, specs, now);
        Map<String, Instant> lastReport = new HashMap<>();
        for (int step = 0; step < 100; step++) {
            int op = rnd.nextInt(10);
            String v = vantages.get(rnd.nextInt(3));
            if (op < 5) {
                TargetState s = rnd.nextBoolean() ? TargetState.UP : TargetState.DOWN;
                for (HealthBook.TargetSpec t : specs) {
                    book.adopt(v, t.id(), new ReportedView(s, false, s == TargetState.UP, 3, s == TargetState.UP ? "ok" : "connect_refused", "",
                            12.0, Duration.ofMillis(12)), now);
                }
                lastReport.put(v, now);
            } else if (op < 6) {
                book.forget(v);
                lastReport.remove(v);
            } else {
                now = now.plusMillis(rnd.nextInt(1500));
            }
            Map<String, TargetState> before = new HashMap<>();
            specs.forEach(t -> before.put(t.id(), book.verdict(t.id()).state()));
            book.evaluate(now);
            Instant freshAfter = now.minus(staleness);
            long fresh = lastReport.values().stream().filter(t -> !t.isBefore(freshAfter)).count();
            for (HealthBook.TargetSpec t : specs) {
                assertThat(book.verdict(t.id()).votes().voters()).as("voters at step " + step).isLessThanOrEqualTo((int) fresh);
                if (book.verdict(t.id()).state() == TargetState.DOWN && before.get(t.id()) != TargetState.DOWN) {
                    assertThat(book.verdict(t.id()).votes().down()).as("DOWN needs a quorum of fresh votes").isGreaterThanOrEqualTo(2);
                }
            }
        }
    }
}
