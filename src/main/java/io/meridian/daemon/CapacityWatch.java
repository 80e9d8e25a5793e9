package io.meridian.daemon;

import io.meridian.config.CapacityReportConfig;
import io.meridian.config.MeridianConfig;
import io.meridian.config.RegionConfig;
import io.meridian.probe.http.CapacityReader;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads each region's {@code capacity-report} every interval and hands it to the engine, which ticks
 * when what the plan uses moves (see {@link io.meridian.policy.CapacityUse}). One read per region at a
 * time: a slow URL is not piled on.
 */
final class CapacityWatch {

    private final Vertx vertx;
    private final Controller controller;
    private final CapacityReader reader;
    private final Map<String, Long> timers = new HashMap<>();
    private final Map<String, CapacityReportConfig> watched = new HashMap<>();
    private final Map<String, Boolean> reading = new HashMap<>();

    CapacityWatch(Vertx vertx, Controller controller, CapacityReader reader) {
        this.vertx = vertx;
        this.controller = controller;
        this.reader = reader;
    }

    /** Watches the regions of {@code config} that report; a reload calls it again (changed URLs and intervals restart). */
    void update(MeridianConfig config) {
        Map<String, CapacityReportConfig> next = new HashMap<>();
        for (RegionConfig r : config.regions()) {
            r.capacityReport().ifPresent(c -> next.put(r.name(), c));
        }
        for (String region : Map.copyOf(watched).keySet()) {
            if (!watched.get(region).equals(next.get(region))) {
                vertx.cancelTimer(timers.remove(region));
                watched.remove(region);
            }
        }
        next.forEach((region, c) -> {
            if (!watched.containsKey(region)) {
                watched.put(region, c);
                read(region, c);
                timers.put(region, vertx.setPeriodic(c.interval().toMillis(), id -> read(region, c)));
            }
        });
    }

    private void read(String region, CapacityReportConfig c) {
        if (reading.getOrDefault(region, false)) {
            return;
        }
        reading.put(region, true);
        reader.read(c).onComplete(ar -> {
            reading.put(region, false);
            if (ar.succeeded() && c.equals(watched.get(region)) && controller.engine().capacityReport(region, ar.result())) {
                controller.tick();
            }
        });
    }

    void stop() {
        timers.values().forEach(vertx::cancelTimer);
        timers.clear();
        watched.clear();
        reader.close();
    }
}
