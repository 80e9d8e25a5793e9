package io.meridian.coord.etcd;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.meridian.coord.Leadership;
import io.meridian.coord.SharedState;
import io.meridian.coord.StaleTermException;
import io.meridian.coord.Term;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The shared state in etcd. Every write is one txn that first compares the leader key's creation
 * revision with the writer's token: a leader that lost its key (frozen past its lease, cut off) has
 * its late write refused by etcd itself, atomically. Journal keys sort by token, then by sequence:
 * {@code journal/<token>-<seq>}. Txns stay below etcd's cap of 128 operations.
 */
final class EtcdSharedState implements SharedState {

    private static final Logger log = LoggerFactory.getLogger(EtcdSharedState.class);
    static final int MAX_OPS = 120;

    private final EtcdSession s;
    private final Leadership leadership;
    private final Function<JsonObject, Future<JsonObject>> history;
    private long seq;

    /** @param history the daemon's own journal file, which keeps every entry too (for its events API) */
    EtcdSharedState(EtcdSession s, Leadership leadership, Function<JsonObject, Future<JsonObject>> history) {
        this.s = s;
        this.leadership = leadership;
        this.history = history;
    }

    private Cmp guard(Term term) {
        return new Cmp(s.key("leader"), Cmp.Op.EQUAL, CmpTarget.createRevision(term.token()));
    }

    private Future<Void> commit(Term term, List<Op> ops) {
        if (!leadership.current(term)) {
            return Future.failedFuture(new StaleTermException(term, "this daemon does not lead under it now"));
        }
        List<Future<Void>> chunks = new ArrayList<>();
        for (int i = 0; i < ops.size(); i += MAX_OPS) {
            List<Op> chunk = ops.subList(i, Math.min(ops.size(), i + MAX_OPS));
            chunks.add(s.call(s.client.getKVClient().txn().If(guard(term)).Then(chunk.toArray(Op[]::new)).commit()).compose(r -> r.isSucceeded()
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(new StaleTermException(term, "etcd refused the write: the leader key is not at token " + term.token()))));
        }
        return Future.all(chunks).mapEmpty();
    }

    /**
     * Role changes and their steps go to {@code journal/} (kept: a next leader resumes from them); the
     * actuator's intents and outcomes ({@code ACTION}) to {@code actions/}, of which the newest
     * {@link #KEEP_ACTIONS} are kept.
     */
    @Override
    public Future<JsonObject> journal(Term term, JsonObject entry) {
        boolean action = "ACTION".equals(entry.getString("kind"));
        String key = String.format("%s%020d-%010d", action ? "actions/" : "journal/", term.token(), ++seq);
        JsonObject e = entry.copy().put("key", key);
        Future<Void> written = commit(term, List.of(Op.put(s.key(key), EtcdSession.bytes(e), PutOption.DEFAULT)));
        if (action && ++actions % TRIM_EVERY == 0) {
            written.onSuccess(v -> trimActions(term));
        }
        return written.compose(v -> history.apply(e));
    }

    static final int KEEP_ACTIONS = 1000;
    static final int TRIM_EVERY = 200;
    private long actions;

    /** Deletes the oldest actions beyond the newest {@link #KEEP_ACTIONS}, in a guarded txn. */
    private void trimActions(Term term) {
        s.call(s.client.getKVClient().get(s.key("actions/"), GetOption.builder().isPrefix(true).withKeysOnly(true)
                .withSortField(GetOption.SortTarget.KEY).withSortOrder(GetOption.SortOrder.DESCEND).withLimit(KEEP_ACTIONS + 1).build()))
                .compose(r -> {
                    if (r.getKvs().size() <= KEEP_ACTIONS) {
                        return Future.succeededFuture();
                    }
                    io.etcd.jetcd.ByteSequence oldestKept = r.getKvs().get(KEEP_ACTIONS - 1).getKey();
                    return commit(term, List.of(Op.delete(s.key("actions/"), DeleteOption.builder().withRange(oldestKept).build())));
                })
                .onFailure(err -> log.debug("actions not trimmed: {}", err.getMessage()));
    }

    @Override
    public Future<List<JsonObject>> readJournal(Predicate<JsonObject> filter, int limit) {
        return s.call(s.client.getKVClient().get(s.key("journal/"), GetOption.builder().isPrefix(true)
                .withSortField(GetOption.SortTarget.KEY).withSortOrder(GetOption.SortOrder.DESCEND).build())).map(r -> {
                    List<JsonObject> out = new ArrayList<>();
                    for (KeyValue kv : r.getKvs()) {
                        JsonObject e = EtcdSession.json(kv.getValue());
                        if (filter.test(e)) {
                            out.add(e);
                            if (out.size() >= limit) {
                                break;
                            }
                        }
                    }
                    return out;
                });
    }

    @Override
    public Future<Void> put(Term term, Map<String, Optional<JsonObject>> values) {
        List<Op> ops = new ArrayList<>();
        values.forEach((k, v) -> ops.add(v.isPresent() ? Op.put(s.key(k), EtcdSession.bytes(v.get()), PutOption.DEFAULT)
                : Op.delete(s.key(k), DeleteOption.DEFAULT)));
        return commit(term, ops);
    }

    @Override
    public Future<Map<String, JsonObject>> get(String prefix) {
        return s.call(s.client.getKVClient().get(s.key(prefix), GetOption.builder().isPrefix(true).build())).map(r -> {
            Map<String, JsonObject> out = new LinkedHashMap<>();
            r.getKvs().forEach(kv -> out.put(s.relative(kv.getKey()), EtcdSession.json(kv.getValue())));
            return out;
        });
    }

    /**
     * Delivers what is there now, then every change after that revision (none missed in between). Until
     * the first read succeeds it is tried again every {@link #RETRY_MS}; a watch that fails is started
     * again from the last revision delivered.
     */
    @Override
    public void watch(String prefix, BiConsumer<String, Optional<JsonObject>> listener) {
        s.call(s.client.getKVClient().get(s.key(prefix), GetOption.builder().isPrefix(true).build())).onComplete(ar -> {
            if (ar.failed()) {
                log.debug("COORD {} could not be read ({}); trying again", prefix, ar.cause().getMessage());
                s.vertx.setTimer(RETRY_MS, id -> watch(prefix, listener));
                return;
            }
            ar.result().getKvs().forEach(kv -> deliver(listener, kv, false));
            follow(prefix, listener, ar.result().getHeader().getRevision() + 1);
        });
    }

    static final long RETRY_MS = 250;

    private void follow(String prefix, BiConsumer<String, Optional<JsonObject>> listener, long from) {
        long[] next = {from};
        s.client.getWatchClient().watch(s.key(prefix), WatchOption.builder().isPrefix(true).withRevision(from).build(), io.etcd.jetcd.Watch.listener(
                r -> s.onLoop(() -> r.getEvents().forEach(e -> {
                    next[0] = Math.max(next[0], e.getKeyValue().getModRevision() + 1);
                    deliver(listener, e.getKeyValue(), e.getEventType() == WatchEvent.EventType.DELETE);
                })),
                err -> s.onLoop(() -> {
                    log.debug("watch {} failed ({}); watching again from revision {}", prefix, err.getMessage(), next[0]);
                    s.vertx.setTimer(RETRY_MS, id -> follow(prefix, listener, next[0]));
                })));
    }

    private void deliver(BiConsumer<String, Optional<JsonObject>> listener, KeyValue kv, boolean deleted) {
        String key = s.relative(kv.getKey());
        try {
            listener.accept(key, deleted ? Optional.empty() : Optional.of(EtcdSession.json(kv.getValue())));
        } catch (RuntimeException e) {
            log.error("COORD {} holds what Meridian cannot read, ignored: {}", key, e.getMessage());
        }
    }
}
