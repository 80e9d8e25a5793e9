package io.meridian.coord.local;

import io.meridian.coord.Coordination;
import io.meridian.coord.Leadership;
import io.meridian.coord.ObservationExchange;
import io.meridian.coord.SharedState;
import io.meridian.coord.StaleTermException;
import io.meridian.coord.StateJson;
import io.meridian.coord.Term;
import io.meridian.coord.VantageReport;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One daemon on its own: it always leads under the one {@link Term#local} term, there are no other
 * vantages, the journal is the daemon's file and the standing overrides its overrides file. The rest
 * of the shared state lives in memory (a restart derives it again from probes, as it always has).
 */
public final class LocalCoordination implements Coordination, Leadership, ObservationExchange, SharedState {

    private final Term term;
    private final String api;
    private final StateFiles files;
    private final Function<JsonObject, Future<JsonObject>> history;
    private final Map<String, JsonObject> values = new TreeMap<>();
    private final Map<String, List<BiConsumer<String, Optional<JsonObject>>>> watchers = new LinkedHashMap<>();

    /**
     * @param files   the overrides file (and the journal, read back)
     * @param history appends to the journal file and tells the live stream
     */
    public LocalCoordination(String vantage, String api, StateFiles files, Function<JsonObject, Future<JsonObject>> history) {
        this.term = Term.local(vantage);
        this.api = api;
        this.files = files;
        this.history = history;
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public Future<Void> start() {
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> stop() {
        return Future.succeededFuture();
    }

    @Override
    public Leadership leadership() {
        return this;
    }

    @Override
    public ObservationExchange observations() {
        return this;
    }

    @Override
    public SharedState shared() {
        return this;
    }

    @Override
    public Optional<String> unavailable() {
        return Optional.empty();
    }

    // ---- leadership: always this daemon ----

    @Override
    public Optional<Term> acting() {
        return Optional.of(term);
    }

    @Override
    public Optional<Leader> leader() {
        return Optional.of(new Leader(term.holder(), api, term));
    }

    @Override
    public void onChange(Consumer<Optional<Term>> listener) {
        // the term never changes
    }

    // ---- observations: nobody else to tell ----

    @Override
    public void source(Supplier<VantageReport> report) {
    }

    @Override
    public void changed() {
    }

    @Override
    public void onReport(BiConsumer<String, Optional<VantageReport>> listener) {
    }

    // ---- shared state ----

    private Future<Void> check(Term t) {
        return t.equals(term) ? Future.succeededFuture() : Future.failedFuture(new StaleTermException(t, "the current one is " + term.describe()));
    }

    @Override
    public Future<JsonObject> journal(Term t, JsonObject entry) {
        return check(t).compose(v -> history.apply(entry));
    }

    @Override
    public Future<List<JsonObject>> readJournal(Predicate<JsonObject> filter, int limit) {
        return files.read(filter, limit, 0);
    }

    @Override
    public Future<Void> put(Term t, Map<String, Optional<JsonObject>> changes) {
        return check(t).compose(v -> {
            Optional<JsonObject> overrides = changes.getOrDefault(StateJson.OVERRIDES, Optional.empty());
            return overrides.isPresent() ? files.persist(StateJson.overrides(overrides.get()), true) : Future.<Void>succeededFuture();
        }).onSuccess(v -> changes.forEach((key, value) -> {
            if (value.isPresent()) {
                values.put(key, value.get());
            } else {
                values.remove(key);
            }
            watchers.forEach((prefix, list) -> {
                if (key.startsWith(prefix)) {
                    new ArrayList<>(list).forEach(w -> w.accept(key, value));
                }
            });
        }));
    }

    @Override
    public Future<Map<String, JsonObject>> get(String prefix) {
        Map<String, JsonObject> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k, v);
            }
        });
        if (StateJson.OVERRIDES.startsWith(prefix) && !out.containsKey(StateJson.OVERRIDES)) {
            out.put(StateJson.OVERRIDES, StateJson.overrides(files.restored()));
        }
        return Future.succeededFuture(out);
    }

    @Override
    public void watch(String prefix, BiConsumer<String, Optional<JsonObject>> listener) {
        watchers.computeIfAbsent(prefix, p -> new ArrayList<>()).add(listener);
    }
}
