package io.meridian.dns;

import java.time.Duration;
import java.util.List;

/** Replace every record Meridian owns at {@code name} with {@code sets}. Idempotent. */
public record DnsChange(String name, Duration ttl, List<RecordSet> sets) {

    public DnsChange {
        sets = List.copyOf(sets);
    }
}
