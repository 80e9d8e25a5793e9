package io.meridian.coord;

import io.meridian.health.ReportedView;
import io.meridian.health.TargetState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one vantage publishes for the others: its view of every target. Deliberately without its own
 * clock's time: the receiver judges freshness by when it received the report.
 *
 * @param api     where the daemon's API listens (a follower forwards operator changes to the leader's)
 * @param targets by target id
 */
public record VantageReport(String vantage, String api, Map<String, ReportedView> targets) {

    public VantageReport {
        targets = Map.copyOf(targets);
    }

    /** Compact: one array per target, so ten thousand targets stay well under etcd's request limit. */
    public JsonObject toJson() {
        JsonObject t = new JsonObject();
        targets.forEach((id, v) -> t.put(id, new JsonArray().add(v.state().name()).add(v.degraded()).add(v.lastOk()).add(v.run())
                .add(v.reason()).add(v.message()).add(Double.isNaN(v.ewmaMillis()) ? -1 : Math.round(v.ewmaMillis() * 10) / 10.0)
                .add(v.latency().toMillis())));
        return new JsonObject().put("vantage", vantage).put("api", api).put("targets", t);
    }

    /** @throws IllegalArgumentException naming what is wrong, for a report that is not one */
    public static VantageReport fromJson(JsonObject j) {
        try {
            Map<String, ReportedView> targets = new LinkedHashMap<>();
            JsonObject t = j.getJsonObject("targets", new JsonObject());
            for (String id : t.fieldNames()) {
                JsonArray a = t.getJsonArray(id);
                double ewma = a.getDouble(6);
                targets.put(id, new ReportedView(TargetState.valueOf(a.getString(0)), a.getBoolean(1), a.getBoolean(2), a.getInteger(3),
                        a.getString(4), a.getString(5), ewma < 0 ? Double.NaN : ewma, Duration.ofMillis(a.getLong(7))));
            }
            return new VantageReport(j.getString("vantage"), j.getString("api", ""), targets);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a vantage report: " + e.getMessage(), e);
        }
    }
}
