package io.meridian.coord.etcd;

import io.etcd.jetcd.options.PutOption;
import io.meridian.coord.ObservationExchange;
import io.meridian.coord.VantageReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Each vantage's report at {@code vantages/<vantage>}, on its daemon's lease: written at once (within
 * {@link #COALESCE_MS}) when a target's state changes and re-asserted every {@code reassert}, so the
 * etcd traffic is bounded by the period and by state changes, never by the probe rate. When the lease
 * expires the key goes, and every other daemon is told the vantage no longer votes.
 */
final class EtcdObservations implements ObservationExchange {

    private static final Logger log = LoggerFactory.getLogger(EtcdObservations.class);
    static final long COALESCE_MS = 50;

    private final EtcdSession s;
    private final EtcdSharedState shared;
    private final List<BiConsumer<String, Optional<VantageReport>>> listeners = new ArrayList<>();
    private Supplier<VantageReport> source = () -> null;
    private boolean pending;
    private boolean writing;
    private long timer = -1;
    private long writes;
    private long bytes;

    EtcdObservations(EtcdSession s, EtcdSharedState shared) {
        this.s = s;
        this.shared = shared;
    }

    void start() {
        timer = s.vertx.setPeriodic(s.config.reassert().toMillis(), id -> write());
        shared.watch("vantages/", (key, value) -> {
            String vantage = key.substring("vantages/".length());
            if (vantage.equals(s.vantage)) {
                return;
            }
            Optional<VantageReport> report = value.map(VantageReport::fromJson);
            listeners.forEach(l -> l.accept(vantage, report));
        });
    }

    void stop() {
        if (timer >= 0) {
            s.vertx.cancelTimer(timer);
        }
    }

    @Override
    public void source(Supplier<VantageReport> report) {
        this.source = report;
    }

    @Override
    public void changed() {
        if (!pending) {
            pending = true;
            s.vertx.setTimer(COALESCE_MS, id -> write());
        }
    }

    private void write() {
        pending = false;
        VantageReport r = source.get();
        if (r == null || s.lease == 0 || writing) {
            return;
        }
        writing = true;
        io.etcd.jetcd.ByteSequence value = EtcdSession.bytes(r.toJson());
        s.call(s.client.getKVClient().put(s.key("vantages/" + s.vantage), value, PutOption.builder().withLeaseId(s.lease).build()))
                .onComplete(ar -> {
                    writing = false;
                    if (ar.succeeded()) {
                        writes++;
                        bytes += value.size();
                    } else {
                        log.debug("report of {} not written: {}", s.vantage, ar.cause().getMessage());
                    }
                });
    }

    @Override
    public void onReport(BiConsumer<String, Optional<VantageReport>> listener) {
        listeners.add(listener);
    }

    /** Reports written, and their bytes (for the benchmark and the metrics). */
    long writes() {
        return writes;
    }

    long bytes() {
        return bytes;
    }
}
