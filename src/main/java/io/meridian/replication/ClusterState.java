package io.meridian.replication;

import io.meridian.config.DatabaseClusterConfig;
import io.meridian.config.DatabaseMember;
import io.meridian.plan.RoleChange;
import io.meridian.policy.MemberStatus;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What Meridian knows of one database cluster between rounds. Owned by the daemon's event loop. */
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
}
