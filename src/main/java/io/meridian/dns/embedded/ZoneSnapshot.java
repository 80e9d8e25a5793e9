package io.meridian.dns.embedded;

import io.meridian.config.DnsConfig;
import io.meridian.dns.DnsChange;
import io.meridian.config.IpLiteral;
import io.meridian.dns.RecordSet;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Everything the server answers from, frozen. A change builds a new snapshot and swaps it in one
 * write, so no query ever sees half a plan. Addresses are pre-encoded to wire bytes.
 */
final class ZoneSnapshot {

    /** One record set with its addresses split by family, ready for the wire. */
    record WireSet(int weight, List<byte[]> v4, List<byte[]> v6) {
    }

    /** A name's records; {@code byClient} holds the answers for clients placed in a region. */
    record Entry(long ttlSeconds, List<WireSet> sets, int totalWeight, Map<String, Entry> byClient) {

        Entry forClient(String region) {
            Entry e = region == null ? null : byClient.get(region);
            return e != null ? e : this;
        }

        /** The set for one query: weighted random, as Route 53 weighted records answer. */
        WireSet pick() {
            if (sets.size() == 1 || totalWeight == 0) {
                return sets.get(0);
            }
            int r = ThreadLocalRandom.current().nextInt(totalWeight);
            for (WireSet s : sets) {
                r -= s.weight();
                if (r < 0) {
                    return s;
                }
            }
            return sets.get(sets.size() - 1);
        }
    }

    final DnsConfig config;
    final long serial;
    /**
     * False until the first answers arrive: a name not known yet may be a service, so it gets SERVFAIL
     * (resolvers try another server, and do not cache it as they cache NXDOMAIN) rather than NXDOMAIN.
     */
    final boolean loaded;
    private final Map<String, Entry> names;
    private final String dotZone;
    private final WireNames fast;

    private ZoneSnapshot(DnsConfig config, long serial, Map<String, Entry> names, boolean loaded) {
        this.config = config;
        this.loaded = loaded;
        this.dotZone = "." + config.zone();
        Map<String, Entry> plain = new HashMap<>();
        names.forEach((name, e) -> {
            if (!isApex(name) && e.byClient().isEmpty()) {
                plain.put(name, e);
            }
        });
        this.fast = new WireNames(plain);
        this.serial = serial;
        this.names = names;
    }

    /** Only the nameservers' own addresses (glue), with the SOA's TTL. */
    static ZoneSnapshot empty(DnsConfig config, long serial) {
        Map<String, Entry> glue = new HashMap<>();
        config.glue().forEach((name, addresses) -> glue.put(name,
                entry(config.soa().ttl().toSeconds(), List.of(new RecordSet(name, 1, addresses)), Map.of())));
        return new ZoneSnapshot(config, serial, Map.copyOf(glue), false);
    }

    /** A new snapshot with {@code changes} applied and the serial incremented. */
    ZoneSnapshot with(List<DnsChange> changes) {
        Map<String, Entry> next = new HashMap<>(names);
        for (DnsChange c : changes) {
            String name = normalize(c.name());
            if (!inZone(name)) {
                throw new IllegalArgumentException("record " + c.name() + " is outside the zone " + config.zone());
            }
            if (c.sets().isEmpty()) {
                next.remove(name);
                continue;
            }
            Map<String, Entry> byClient = new HashMap<>();
            c.byClient().forEach((region, sets) -> byClient.put(region, entry(c.ttl().toSeconds(), sets, Map.of())));
            next.put(name, entry(c.ttl().toSeconds(), c.sets(), byClient));
        }
        return new ZoneSnapshot(config, serial + 1, Map.copyOf(next), true);
    }

    private static Entry entry(long ttl, List<RecordSet> recordSets, Map<String, Entry> byClient) {
        List<WireSet> sets = new ArrayList<>();
        int total = 0;
        for (RecordSet s : recordSets) {
            List<byte[]> v4 = new ArrayList<>();
            List<byte[]> v6 = new ArrayList<>();
            for (String a : s.addresses()) {
                byte[] bytes = IpLiteral.parse(a).getAddress();
                (bytes.length == 4 ? v4 : v6).add(bytes);
            }
            sets.add(new WireSet(s.weight(), List.copyOf(v4), List.copyOf(v6)));
            total += s.weight();
        }
        return new Entry(ttl, List.copyOf(sets), total, Map.copyOf(byClient));
    }

    /**
     * The entry of the wire-format name at {@code [start, end)} of {@code packet}, when its answer is the
     * same for every client and it is not the apex; else null (the full path decides).
     */
    Entry plainLookup(ByteBuf packet, int start, int end) {
        return fast.lookup(packet, start, end);
    }

    Entry lookup(String normalizedName) {
        return names.get(normalizedName);
    }

    boolean inZone(String normalizedName) {
        return normalizedName.equals(config.zone()) || normalizedName.endsWith(dotZone);
    }

    boolean isApex(String normalizedName) {
        return normalizedName.equals(config.zone());
    }

    static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
