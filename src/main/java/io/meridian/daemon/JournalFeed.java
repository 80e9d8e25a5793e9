package io.meridian.daemon;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hands every journal entry, once it is on disk, to the listeners (the event streams) in sequence order.
 * Appends are made from more than one context and may finish out of order, and a stream resumes by
 * sequence number, so an entry that overtook an earlier one would make that one look already sent: it is
 * held until the entries before it are in. Thread-safe.
 */
final class JournalFeed {

    /** Entries held behind a gap; past this many the gap is given up on (it cannot be filled: never seen). */
    static final int MAX_HELD = 256;

    private final List<Consumer<JsonObject>> listeners = new CopyOnWriteArrayList<>();
    private final TreeMap<Long, JsonObject> early = new TreeMap<>();
    private long next;

    /** @param lastSeq the sequence number of the journal's last entry at start */
    JournalFeed(long lastSeq) {
        this.next = lastSeq + 1;
    }

    synchronized void written(JsonObject e) {
        long seq = e.getLong("seq", 0L);
        if (seq < next) {
            deliver(e);
            return;
        }
        early.put(seq, e);
        while (!early.isEmpty() && (early.firstKey() == next || early.size() > MAX_HELD)) {
            var first = early.pollFirstEntry();
            deliver(first.getValue());
            next = first.getKey() + 1;
        }
    }

    private void deliver(JsonObject e) {
        listeners.forEach(l -> l.accept(e));
    }

    /** Calls {@code listener} with every entry from now on; returns how to stop. */
    Runnable listen(Consumer<JsonObject> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
