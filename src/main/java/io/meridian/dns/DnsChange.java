package io.meridian.dns;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Replace every record Meridian owns at {@code name} with {@code sets}. Idempotent.
 *
 * @param byClient answers for clients placed in a region (latency policy); providers without
 *                 client-specific answers publish {@code sets}
 */
public record DnsChange(String name, Duration ttl, List<RecordSet> sets, Map<String, List<RecordSet>> byClient) {

    public DnsChange {
        sets = List.copyOf(sets);
        byClient = Map.copyOf(byClient);
    }

    public DnsChange(String name, Duration ttl, List<RecordSet> sets) {
        this(name, ttl, sets, Map.of());
    }
}
