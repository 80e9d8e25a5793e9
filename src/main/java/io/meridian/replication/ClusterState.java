package io.meridian.replication;

import io.meridian.config.DatabaseClusterConfig;
import io.meridian.config.DatabaseMember;
import io.meridian.health.TargetState;
import io.meridian.plan.RoleChange;
import io.meridian.policy.MemberStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** What Meridian knows of one database cluster between rounds, and how it shows. Owned by the daemon's event loop. */
final class ClusterState {

    final DatabaseClusterConfig config;
    final List<DatabaseMember> members;
    final ReplicationProvider provider;
    final Map<String, MemberStatus> statuses = new LinkedHashMap<>();
    /** The member Meridian holds to be the primary. */
    Optional<String> primary = Optional.empty();
    /** The primary according to the newest role change in the journal, read at start (empty: none journaled). */
    Optional<String> journalPrimary = Optional.empty();
    /** The primary's last position read while it was reachable (-1: never read). */
    long lastPrimaryPosition = -1;
    Optional<Instant> cooldownUntil = Optional.empty();
    /** After an automatic change aborted, the next automatic attempt waits until then. */
    Instant retryAfter = Instant.MIN;
    /** The change running now, if any: rounds observe but decide nothing while it runs. */
    Optional<RoleChange> running = Optional.empty();
    /** The newest change this daemon ran or resumed, with its steps, while and after it runs. */
    Optional<ChangeProgress> lastChange = Optional.empty();
    /** Where the write name points: a member id, "" when withdrawn, null when not published yet. */
    String writeTo;
    boolean observing;
    /** The last round could not ask some member for a local reason (and decided nothing). */
    boolean localError;
    String lastRefusal = "";
    final Set<String> strayFenced = new HashSet<>();

    ClusterState(DatabaseClusterConfig config, List<DatabaseMember> members, ReplicationProvider provider) {
        this.config = config;
        this.members = List.copyOf(members);
        this.provider = provider;
    }

    DatabaseMember member(String id) {
        return members.stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("cluster " + config.name() + " has no member " + id));
    }

    Optional<MemberStatus> primaryStatus() {
        return primary.map(statuses::get);
    }

    /** For {@code meridian.db.role}: 1 primary, 0 replica, -1 unknown or unreachable. */
    double roleValue(DatabaseMember m) {
        MemberStatus st = statuses.get(m.id());
        return st == null || !st.reachable() ? -1 : st.role() == MemberStatus.Role.PRIMARY ? 1 : st.role() == MemberStatus.Role.REPLICA ? 0 : -1;
    }

    /** Bytes {@code m} is behind the last known primary position; -1 when unknown. */
    long lag(DatabaseMember m) {
        MemberStatus st = statuses.get(m.id());
        return st == null ? -1 : st.lagBehind(lastPrimaryPosition);
    }

    /** What the API shows of the cluster; {@code health} gives each member's verdict. */
    JsonObject toJson(Function<String, TargetState> health) {
        JsonArray out = new JsonArray();
        for (DatabaseMember m : members) {
            MemberStatus st = statuses.get(m.id());
            JsonObject j = new JsonObject().put("id", m.id()).put("region", m.region()).put("health", health.apply(m.id()).name());
            if (st != null) {
                j.put("role", st.role().name()).put("reachable", st.reachable()).put("position", st.position())
                        .put("lag_bytes", lag(m)).put("replaying", st.replaying())
                        .put("replay_age_ms", st.replayAge().map(Duration::toMillis).orElse(null)).put("error", st.error());
            }
            out.add(j);
        }
        return new JsonObject().put("name", config.name()).put("kind", config.kind().label())
                .put("write_name", config.writeName()).put("write_to", writeTo).put("primary", primary.orElse(null))
                .put("last_primary_position", lastPrimaryPosition).put("automatic", config.automatic())
                .put("rpo_bytes", config.rpoBytes()).put("rpo_lag_ms", config.rpoLag().toMillis())
                .put("cooldown_until", cooldownUntil.map(Instant::toString).orElse(null))
                .put("last_change", lastChange.map(ChangeProgress::toJson).orElse(null))
                .put("running", running.map(c -> new JsonObject().put("id", c.id()).put("kind", c.kind().name()).put("to", c.to())).orElse(null))
                .put("members", out);
    }

    /**
     * The journal's primary {@code j} no longer holds when it was seen, reachable, following as a replica
     * while exactly one other member is the primary: roles were moved outside Meridian. An unreachable
     * {@code j} still holds: the other claimant may be an old primary that came back with an old history.
     */
    boolean journalOutdated(String j, List<MemberStatus> primaries) {
        MemberStatus st = statuses.get(j);
        return st != null && st.reachable() && st.role() == MemberStatus.Role.REPLICA && primaries.size() == 1;
    }

    void registerGauges(io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.Gauge.builder("meridian.db.rpo.bytes", () -> config.rpoBytes())
                .description("the cluster's RPO: a replica further behind than this is not promoted automatically").tags("cluster", config.name())
                .register(registry);
        members.forEach(m -> {
            io.micrometer.core.instrument.Gauge.builder("meridian.db.role", () -> roleValue(m))
                    .description("1 primary, 0 replica, -1 unknown or unreachable").tags("cluster", config.name(), "member", m.id()).register(registry);
            io.micrometer.core.instrument.Gauge.builder("meridian.db.lag.bytes", () -> lag(m))
                    .description("bytes behind the last known primary position (-1 unknown)").tags("cluster", config.name(), "member", m.id()).register(registry);
        });
    }
}
