package io.meridian.coord;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * What every daemon must be able to read and only the leader writes: the desired answers
 * ({@code desired/<name>}), the state a new leader needs to keep the safety rules ({@code state/…}: rate
 * limits, cooldowns, overrides) and the journal of intents. Every write carries the term it was decided
 * under and fails with {@link StaleTermException} when that term is no longer current — atomically with
 * the write where the store allows it (an etcd txn on the leader key).
 */
public interface SharedState {

    /** Appends to the journal; completes once it is durable. */
    Future<JsonObject> journal(Term term, JsonObject entry);

    /** The newest {@code limit} journal entries that match, newest first. */
    Future<List<JsonObject>> readJournal(Predicate<JsonObject> filter, int limit);

    /** Writes every key (empty value: delete it) in one step. */
    Future<Void> put(Term term, Map<String, Optional<JsonObject>> values);

    /** Every key under {@code prefix}, by key. */
    Future<Map<String, JsonObject>> get(String prefix);

    /** Called on the daemon's event loop with each key under {@code prefix} as it changes (empty: deleted). */
    void watch(String prefix, BiConsumer<String, Optional<JsonObject>> listener);
}
