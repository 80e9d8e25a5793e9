package io.meridian.config;

import java.time.Duration;
import java.util.List;

/**
 * A replicated database whose writable primary Meridian moves between regions ({@code databases}
 * in {@code meridian.yaml}); its members are declared in the region files.
 *
 * @param writeName        the DNS name writers use; its answer is the primary's address
 * @param rpoBytes         automatic promotion only if the candidate is at most this far behind the last known primary position
 * @param rpoLag           ... and its replay is at most this old (heartbeat age)
 * @param automatic        promote without an operator when the primary is confirmed down
 * @param candidates       regions allowed to take the primary, in priority order
 * @param crossRegion      whether the primary may move to another region than the old primary's
 * @param fenceCommand     optional STONITH hook run before promotion ({@code {host}}, {@code {port}}, {@code {region}} replaced)
 * @param promoteUnfenced  promote although fencing failed, when the old primary is confirmed unreachable
 * @param cooldown         no automatic failover of this cluster for this long after one (ack lifts it)
 * @param catchUpTimeout   planned switchover: how long to wait for the candidate to reach zero lag
 */
public record DatabaseClusterConfig(String name, DatabaseKind kind, String writeName, Duration ttl, long rpoBytes, Duration rpoLag,
                                    boolean automatic, List<String> candidates, boolean crossRegion, Duration interval,
                                    Duration timeout, int rise, int fall, List<String> fenceCommand, Duration fenceTimeout,
                                    boolean promoteUnfenced, Duration cooldown, Duration catchUpTimeout) {

    public DatabaseClusterConfig {
        candidates = List.copyOf(candidates);
        fenceCommand = List.copyOf(fenceCommand);
    }

    /** Candidate priority: 0 is first; regions not listed cannot take the primary. */
    public int priority(String region) {
        int i = candidates.indexOf(region);
        return i < 0 ? Integer.MAX_VALUE : i;
    }
}
