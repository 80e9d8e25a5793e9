package io.meridian.coord;

import io.meridian.dns.DnsChange;
import io.meridian.dns.RecordSet;
import io.meridian.engine.ManualOverride;
import io.meridian.plan.ServiceState;
import io.meridian.policy.AnswerSet;
import io.meridian.policy.DesiredAnswers;
import io.meridian.policy.LoadPlacement;
import io.meridian.policy.LoadShares;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shared state as JSON: what the leader writes to the store and every daemon (or the next leader)
 * reads back. Keys: {@code desired/<name>} (a {@link DnsChange}: what every embedded server answers),
 * {@code state/services/<service>} (a {@link ServiceState}: what was published, recent failovers,
 * cooldown), {@code state/overrides} (standing operator decisions).
 */
public final class StateJson {

    public static final String DESIRED = "desired/";
    public static final String SERVICES = "state/services/";
    public static final String OVERRIDES = "state/overrides";

    private StateJson() {
    }

    public static JsonObject change(DnsChange c) {
        JsonObject byClient = new JsonObject();
        c.byClient().forEach((region, sets) -> byClient.put(region, recordSets(sets)));
        return new JsonObject().put("name", c.name()).put("ttl", c.ttl().toSeconds()).put("sets", recordSets(c.sets()))
                .put("by_client", byClient);
    }

    public static DnsChange change(JsonObject j) {
        Map<String, List<RecordSet>> byClient = new LinkedHashMap<>();
        JsonObject bc = j.getJsonObject("by_client", new JsonObject());
        bc.fieldNames().forEach(region -> byClient.put(region, recordSets(bc.getJsonArray(region))));
        return new DnsChange(j.getString("name"), Duration.ofSeconds(j.getLong("ttl")), recordSets(j.getJsonArray("sets")), byClient);
    }

    private static JsonArray recordSets(List<RecordSet> sets) {
        JsonArray a = new JsonArray();
        sets.forEach(s -> a.add(new JsonObject().put("id", s.id()).put("weight", s.weight()).put("addresses", new JsonArray(s.addresses()))));
        return a;
    }

    private static List<RecordSet> recordSets(JsonArray a) {
        List<RecordSet> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            JsonObject s = a.getJsonObject(i);
            out.add(new RecordSet(s.getString("id"), s.getInteger("weight"), strings(s.getJsonArray("addresses"))));
        }
        return out;
    }

    public static JsonObject answers(DesiredAnswers d) {
        JsonObject byClient = new JsonObject();
        d.byClient().forEach((region, sets) -> byClient.put(region, answerSets(sets)));
        return new JsonObject().put("service", d.service()).put("ttl", d.ttl().toSeconds()).put("sets", answerSets(d.sets()))
                .put("by_client", byClient).put("fail_open", d.failOpen()).put("reason", d.reason())
                .put("load", d.load().declared() ? load(d.load()) : null);
    }

    /**
     * Where a service's load goes: {@code {"total", "unplaced", "regions": [{"region", "load", "capacity", "limit",
     * "home", "in_service"}]}}; no capacity (no limit) is null.
     */
    public static JsonObject load(LoadShares l) {
        JsonArray regions = new JsonArray();
        l.shares().forEach(s -> regions.add(new JsonObject().put("region", s.region()).put("load", s.load())
                .put("capacity", bounded(s.capacity())).put("limit", bounded(s.slot().limit())).put("home", s.slot().home())
                .put("in_service", s.slot().inService())));
        return new JsonObject().put("total", l.total()).put("unplaced", l.unplaced()).put("regions", regions);
    }

    private static LoadShares load(JsonObject j) {
        if (j == null) {
            return LoadShares.NONE;
        }
        List<LoadShares.Share> shares = new ArrayList<>();
        j.getJsonArray("regions", new JsonArray()).forEach(o -> {
            JsonObject s = (JsonObject) o;
            shares.add(new LoadShares.Share(new LoadPlacement.Slot(s.getString("region"), s.getBoolean("in_service", false),
                    s.getDouble("home", 0.0), unbounded(s.getDouble("capacity")), unbounded(s.getDouble("limit"))), s.getDouble("load")));
        });
        return new LoadShares(j.getDouble("total"), shares, j.getDouble("unplaced", 0.0));
    }

    private static Double bounded(double v) {
        return Double.isInfinite(v) ? null : v;
    }

    private static double unbounded(Double v) {
        return v == null ? Double.POSITIVE_INFINITY : v;
    }

    public static DesiredAnswers answers(JsonObject j) {
        Map<String, List<AnswerSet>> byClient = new LinkedHashMap<>();
        JsonObject bc = j.getJsonObject("by_client", new JsonObject());
        bc.fieldNames().forEach(region -> byClient.put(region, answerSets(bc.getJsonArray(region))));
        return new DesiredAnswers(j.getString("service"), Duration.ofSeconds(j.getLong("ttl")), answerSets(j.getJsonArray("sets")),
                byClient, j.getBoolean("fail_open", false), j.getString("reason", ""), load(j.getJsonObject("load")));
    }

    private static JsonArray answerSets(List<AnswerSet> sets) {
        JsonArray a = new JsonArray();
        sets.forEach(s -> a.add(new JsonObject().put("label", s.label()).put("weight", s.weight()).put("addresses", new JsonArray(s.addresses()))));
        return a;
    }

    private static List<AnswerSet> answerSets(JsonArray a) {
        List<AnswerSet> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            JsonObject s = a.getJsonObject(i);
            out.add(new AnswerSet(s.getString("label"), s.getInteger("weight"), strings(s.getJsonArray("addresses"))));
        }
        return out;
    }

    public static JsonObject service(ServiceState s) {
        return new JsonObject().put("published", s.published().map(StateJson::answers).orElse(null))
                .put("failovers", new JsonArray(s.failovers().stream().map(Instant::toString).toList()))
                .put("cooldown_until", s.cooldownUntil().map(Instant::toString).orElse(null));
    }

    public static ServiceState service(JsonObject j) {
        return new ServiceState(Optional.ofNullable(j.getJsonObject("published")).map(StateJson::answers),
                strings(j.getJsonArray("failovers", new JsonArray())).stream().map(Instant::parse).toList(),
                Optional.ofNullable(j.getString("cooldown_until")).map(Instant::parse));
    }

    public static JsonObject overrides(List<ManualOverride> overrides) {
        JsonArray items = new JsonArray();
        overrides.forEach(o -> items.add(override(o)));
        return new JsonObject().put("overrides", items);
    }

    public static JsonObject override(ManualOverride o) {
        return new JsonObject()
                .put("kind", o.kind().name())
                .put("region", o.region())
                .put("service", o.service())
                .put("actor", o.actor())
                .put("reason", o.reason())
                .put("at", o.at().toString())
                .put("expires_at", o.expiresAt().map(Instant::toString).orElse(null))
                .put("forced", o.forced())
                .put("ramp_until", o.rampUntil().map(Instant::toString).orElse(null));
    }

    /** @throws IllegalArgumentException naming the item that is not an override */
    public static List<ManualOverride> overrides(JsonObject j) {
        JsonArray items = j.getJsonArray("overrides", new JsonArray());
        List<ManualOverride> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                JsonObject o = items.getJsonObject(i);
                out.add(new ManualOverride(ManualOverride.Kind.valueOf(o.getString("kind")), o.getString("region", ""),
                        o.getString("service"), o.getString("actor"), o.getString("reason"), Instant.parse(o.getString("at")),
                        Optional.ofNullable(o.getString("expires_at")).map(Instant::parse), o.getBoolean("forced", false),
                        Optional.ofNullable(o.getString("ramp_until")).map(Instant::parse)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("overrides[" + i + "] is not a valid override: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(o -> out.add(String.valueOf(o)));
        return out;
    }
}
