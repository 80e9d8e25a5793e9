package io.meridian.coord.etcd;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.meridian.coord.Leadership;
import io.meridian.coord.Term;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Leader election the way Patroni does it on etcd: the leader key ({@code <prefix>leader}) is created by
 * a txn only while it does not exist, on this daemon's lease; its creation revision is the fencing
 * token, and {@code <prefix>term}'s version, bumped in the same txn, the epoch. The lease is renewed
 * every quarter of its TTL by a single keep-alive whose send time is noted: this daemon acts only until
 * that time + ¾ TTL, so one failed renewal costs nothing, two stop it acting a quarter TTL before its key
 * can expire and another be elected, and a new leader waits {@code grace} before its first action.
 */
final class EtcdLeadership implements Leadership {

    private static final Logger log = LoggerFactory.getLogger(EtcdLeadership.class);

    private final EtcdSession s;
    private final java.util.function.Supplier<String> api;
    private final List<Consumer<Optional<Term>>> listeners = new ArrayList<>();
    private Optional<Leader> leader = Optional.empty();
    private Optional<Term> mine = Optional.empty();
    private boolean announced;
    private long actFromNanos;
    private long deadlineNanos;
    private long timer = -1;
    private boolean busy;
    private boolean stopped;

    EtcdLeadership(EtcdSession s, java.util.function.Supplier<String> api) {
        this.s = s;
        this.api = api;
    }

    Future<Void> start() {
        s.client.getWatchClient().watch(s.key("leader"), io.etcd.jetcd.Watch.listener(
                r -> s.onLoop(() -> r.getEvents().forEach(this::onLeaderEvent)),
                err -> s.onLoop(() -> log.debug("leader watch: {}", err.getMessage()))));
        long period = Math.max(100, s.config.leaseTtl().toMillis() / 4);
        timer = s.vertx.setPeriodic(1, period, id -> loop());
        return Future.succeededFuture();
    }

    /** Stops campaigning; a leader resigns by revoking its lease, so the next leader need not wait for the TTL. */
    Future<Void> stop() {
        stopped = true;
        if (timer >= 0) {
            s.vertx.cancelTimer(timer);
        }
        boolean leading = mine.isPresent();
        lose("this daemon stops");
        if (!leading || s.lease == 0) {
            return Future.succeededFuture();
        }
        return s.call(s.client.getLeaseClient().revoke(s.lease)).<Void>mapEmpty()
                .onSuccess(v -> log.info("LEADER {} resigned: lease revoked, its leader key is gone", s.vantage))
                .otherwiseEmpty();
    }

    @Override
    public Optional<Term> acting() {
        long now = s.clock.monotonicNanos();
        return mine.filter(t -> now >= actFromNanos && now < deadlineNanos);
    }

    @Override
    public Optional<Leader> leader() {
        return leader;
    }

    @Override
    public void onChange(Consumer<Optional<Term>> listener) {
        listeners.add(listener);
    }

    /** One round: keep the lease, keep or seek leadership, tell who leads. Never two rounds at once. */
    private void loop() {
        if (busy || stopped) {
            checkDeadline();
            return;
        }
        busy = true;
        ensureLease().compose(v -> renew()).compose(v -> mine.isPresent() ? confirm() : campaign())
                .onComplete(ar -> {
                    busy = false;
                    if (ar.failed()) {
                        log.debug("coordination round failed: {}", ar.cause().getMessage());
                    }
                    checkDeadline();
                });
    }

    private Future<Void> ensureLease() {
        if (s.lease != 0) {
            return Future.succeededFuture();
        }
        long ttl = Math.max(2, s.config.leaseTtl().toSeconds());
        return s.call(s.client.getLeaseClient().grant(ttl)).map(r -> {
            s.lease = r.getID();
            deadlineNanos = 0;
            log.info("COORD lease {} granted for {} s", Long.toHexString(s.lease), r.getTTL());
            return null;
        });
    }

    /** One keep-alive; the deadline counts from when it was sent, not from when the answer came. */
    private Future<Void> renew() {
        long sent = s.clock.monotonicNanos();
        long lease = s.lease;
        return s.call(s.client.getLeaseClient().keepAliveOnce(lease)).transform(ar -> {
            if (ar.succeeded() && ar.result().getTTL() > 0) {
                deadlineNanos = sent + (s.config.leaseTtl().toNanos() * 3 / 4);
                return Future.succeededFuture();
            }
            if (ar.succeeded() || ar.cause() instanceof io.etcd.jetcd.lease.NoSuchLeaseException
                    || String.valueOf(ar.cause().getMessage()).contains("lease not found")) {
                log.warn("COORD lease {} expired", Long.toHexString(lease));
                s.lease = 0;
                lose("its lease expired");
            }
            return Future.failedFuture(ar.failed() ? ar.cause() : new IllegalStateException("lease expired"));
        });
    }

    /** The leader key must still be this daemon's (created at its token): else it lost without noticing. */
    private Future<Void> confirm() {
        Term t = mine.get();
        return s.call(s.client.getKVClient().get(s.key("leader"))).map(r -> {
            if (r.getKvs().isEmpty() || r.getKvs().get(0).getCreateRevision() != t.token()) {
                lose("the leader key is no longer its own");
            } else if (!announced && acting().isPresent()) {
                announced = true;
                log.info("LEADER {} acts under {} (after a grace of {} ms)", s.vantage, t.describe(), s.config.grace().toMillis());
                listeners.forEach(l -> l.accept(Optional.of(t)));
            }
            return null;
        });
    }

    /** Takes the leader key if nobody holds it; else learns who does (every round: a missed watch event costs one round). */
    private Future<Void> campaign() {
        if (s.lease == 0) {
            return Future.succeededFuture();
        }
        JsonObject me = new JsonObject().put("name", s.vantage).put("api", api.get());
        PutOption onLease = PutOption.builder().withLeaseId(s.lease).build();
        return s.call(s.client.getKVClient().txn()
                .If(new Cmp(s.key("leader"), Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(s.key("leader"), EtcdSession.bytes(me), onLease), Op.put(s.key("term"), EtcdSession.bytes(s.vantage), PutOption.DEFAULT),
                        Op.get(s.key("term"), GetOption.DEFAULT))
                .Else(Op.get(s.key("leader"), GetOption.DEFAULT), Op.get(s.key("term"), GetOption.DEFAULT))
                .commit()).map(r -> {
                    if (r.isSucceeded()) {
                        won(r);
                    } else {
                        learn(r);
                    }
                    return null;
                });
    }

    private void won(TxnResponse r) {
        long token = r.getHeader().getRevision();
        long epoch = r.getGetResponses().get(0).getKvs().get(0).getVersion();
        Term t = new Term(epoch, token, s.vantage);
        mine = Optional.of(t);
        announced = false;
        actFromNanos = s.clock.monotonicNanos() + s.config.grace().toNanos();
        leader = Optional.of(new Leader(s.vantage, api.get(), t));
        log.info("LEADER {} elected: {}; acting in {} ms", s.vantage, t.describe(), s.config.grace().toMillis());
        s.vertx.setTimer(Math.max(1, s.config.grace().toMillis()), id -> checkDeadline());
    }

    private void learn(TxnResponse r) {
        GetResponse l = r.getGetResponses().get(0);
        GetResponse term = r.getGetResponses().get(1);
        if (!l.getKvs().isEmpty()) {
            Leader now = leaderOf(l.getKvs().get(0), term.getKvs().isEmpty() ? 0 : term.getKvs().get(0).getVersion());
            if (leader.map(x -> x.term().token() != now.term().token()).orElse(true)) {
                log.info("LEADER is {} under {}", now.name(), now.term().describe());
            }
            leader = Optional.of(now);
        }
    }

    private static Leader leaderOf(KeyValue kv, long epoch) {
        JsonObject j = EtcdSession.json(kv.getValue());
        String name = j.getString("name", "?");
        return new Leader(name, j.getString("api", ""), new Term(epoch, kv.getCreateRevision(), name));
    }

    private void onLeaderEvent(WatchEvent e) {
        if (e.getEventType() == WatchEvent.EventType.DELETE) {
            leader.ifPresent(l -> log.info("LEADER key of {} is gone ({}); campaigning", l.name(), l.term().describe()));
            leader = Optional.empty();
            if (mine.isPresent()) {
                lose("its leader key was deleted");
            }
            loop();
        } else if (e.getEventType() == WatchEvent.EventType.PUT && mine.isEmpty()) {
            loop(); // learns the new leader and its epoch at once
        }
    }

    /** A leader whose deadline passed stops acting at once, before its key can expire. */
    private void checkDeadline() {
        if (mine.isPresent() && s.clock.monotonicNanos() >= deadlineNanos) {
            lose("it could not renew its lease in time (" + s.unavailable().orElse("etcd is slow") + ")");
            // The key may still exist until the lease expires; a new lease starts the next campaign from scratch.
            s.lease = 0;
        } else if (mine.isPresent() && !announced && acting().isPresent()) {
            announced = true;
            log.info("LEADER {} acts under {}", s.vantage, mine.get().describe());
            listeners.forEach(l -> l.accept(mine));
        }
    }

    private void lose(String why) {
        if (mine.isEmpty()) {
            return;
        }
        log.warn("LEADER {} stops acting under {}: {}", s.vantage, mine.get().describe(), why);
        mine = Optional.empty();
        leader = Optional.empty();
        boolean wasAnnounced = announced;
        announced = false;
        if (wasAnnounced) {
            listeners.forEach(l -> l.accept(Optional.empty()));
        }
    }
}
