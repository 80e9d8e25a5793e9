package io.meridian.daemon;

import io.meridian.config.DatabaseClusterConfig;
import io.meridian.config.DrillConfig;
import io.meridian.config.MeridianConfig;
import io.meridian.replication.DatabaseManager;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A drill's database moves, read from the clusters' status: which primaries are in the evacuated region and where each goes. */
final class DrillDatabases {

    private DrillDatabases() {
    }

    /**
     * The planned switchovers: {@code {"cluster", "from", "to", "lag_bytes"}}, one per drilled cluster whose primary is in the
     * region, to its best replica elsewhere (candidate order, then least lag); {@code to} is null when there is none.
     */
    static List<JsonObject> plan(DrillConfig drill, MeridianConfig config, Optional<DatabaseManager> databases) {
        List<JsonObject> out = new ArrayList<>();
        Map<String, JsonObject> statuses = statuses(databases);
        for (String cluster : drill.clustersIn(config)) {
            Optional<JsonObject> st = Optional.ofNullable(statuses.get(cluster));
            Optional<String> primary = st.map(s -> s.getString("primary"));
            if (st.isEmpty() || primary.isEmpty() || !region(st.get(), primary.get()).equals(drill.evacuate())) {
                continue;
            }
            DatabaseClusterConfig c = config.database(cluster).orElseThrow();
            Optional<JsonObject> to = st.get().getJsonArray("members").stream().map(JsonObject.class::cast)
                    .filter(m -> "REPLICA".equals(m.getString("role")) && m.getBoolean("reachable", false)
                            && !drill.evacuate().equals(m.getString("region")) && c.priority(m.getString("region")) != Integer.MAX_VALUE)
                    .min(Comparator.comparingInt((JsonObject m) -> c.priority(m.getString("region")))
                            .thenComparingLong(m -> m.getLong("lag_bytes", Long.MAX_VALUE)));
            out.add(new JsonObject().put("cluster", cluster).put("from", primary.get()).put("to", to.map(m -> m.getString("id")).orElse(null))
                    .put("lag_bytes", to.map(m -> m.getLong("lag_bytes")).orElse(null)));
        }
        return out;
    }

    /** Every cluster's status, by name, read once for a look (empty without databases). */
    static Map<String, JsonObject> statuses(Optional<DatabaseManager> databases) {
        Map<String, JsonObject> out = new LinkedHashMap<>();
        databases.ifPresent(d -> d.status().forEach(o -> out.put(((JsonObject) o).getString("name"), (JsonObject) o)));
        return out;
    }

    /** The region of member {@code id} in a cluster's status ("" if unknown). */
    static String region(JsonObject status, String id) {
        return status.getJsonArray("members").stream().map(JsonObject.class::cast).filter(m -> id.equals(m.getString("id")))
                .map(m -> m.getString("region")).findFirst().orElse("");
    }

    /** The primary of {@code cluster} now, once no role change is running; empty while one runs or none is known. */
    static Optional<String> settledPrimary(Map<String, JsonObject> statuses, String cluster) {
        return Optional.ofNullable(statuses.get(cluster)).filter(s -> s.getValue("running") == null).map(s -> s.getString("primary"));
    }

    /**
     * The write name pointing at another member than the primary, if it does. Two members saying PRIMARY is
     * not itself a fault here: a switched-over PostgreSQL primary still says so, fenced read-only.
     */
    static Optional<String> strayWriteName(Map<String, JsonObject> statuses, String cluster) {
        return Optional.ofNullable(statuses.get(cluster)).flatMap(s -> {
            String to = s.getString("write_to");
            return to == null || to.isEmpty() || to.equals(s.getString("primary")) ? Optional.empty()
                    : Optional.of("the write name pointed at " + to + " while the primary was " + s.getString("primary"));
        });
    }
}
