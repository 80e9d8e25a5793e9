package io.meridian.dns.route53;

import io.meridian.config.Route53Config;
import io.meridian.dns.DnsChange;
import io.meridian.config.IpLiteral;
import io.meridian.dns.RecordSet;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.ResourceRecordSetFailover;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How Meridian's answers become Route 53 record sets, and which changes turn what the zone holds
 * into what Meridian wants. No I/O here.
 * <p>
 * Meridian owns exactly the record sets whose {@code SetIdentifier} starts with its prefix. Any
 * other A or AAAA record set at a name Meridian publishes is a conflict: the change is refused
 * (Route 53 would mix the two, or the answer would be shared with records no one here controls).
 * <ul>
 *   <li>{@link Route53Config.Style#WEIGHTED}: one record set per answer set, {@code SetIdentifier} = prefix +
 *       region, {@code Weight} = the set's weight (scaled into Route 53's 0–255 when larger).</li>
 *   <li>{@link Route53Config.Style#FAILOVER}: the heaviest set as {@code PRIMARY}, the next as {@code SECONDARY};
 *       Meridian already chose, so no Route 53 health check is attached.</li>
 * </ul>
 * Client-specific answers (latency policy) are not published to Route 53: it gets the default sets.
 */
public final class Route53Records {

    /** Route 53 counts every record of a CREATE or UPSERT twice, of a DELETE once; at most 1,000 per request. */
    public static final int MAX_BATCH_COST = 1000;

    private final String prefix;
    private final Route53Config.Style style;

    public Route53Records(String prefix, Route53Config.Style style) {
        this.prefix = prefix;
        this.style = style;
    }

    public boolean owned(ResourceRecordSet rrs) {
        return rrs.setIdentifier() != null && rrs.setIdentifier().startsWith(prefix);
    }

    /** The record sets Meridian wants at {@code change.name()}, keyed by type and identifier. */
    public Map<String, ResourceRecordSet> desired(DnsChange change) {
        List<RecordSet> sets = change.sets().stream().filter(s -> !s.addresses().isEmpty()).toList();
        Map<String, ResourceRecordSet> out = new LinkedHashMap<>();
        if (style == Route53Config.Style.FAILOVER) {
            List<RecordSet> byWeight = sets.stream()
                    .sorted(Comparator.comparingInt(RecordSet::weight).reversed().thenComparingInt(sets::indexOf)).toList();
            for (int i = 0; i < Math.min(2, byWeight.size()); i++) {
                ResourceRecordSetFailover role = i == 0 ? ResourceRecordSetFailover.PRIMARY : ResourceRecordSetFailover.SECONDARY;
                String id = prefix + role.toString().toLowerCase(Locale.ROOT);
                addByFamily(out, change, byWeight.get(i), id, b -> b.failover(role));
            }
            return out;
        }
        int max = sets.stream().mapToInt(RecordSet::weight).max().orElse(0);
        for (RecordSet s : sets) {
            long weight = max > 255 ? Math.round(s.weight() * 255.0 / max) : s.weight();
            addByFamily(out, change, s, prefix + s.id(), b -> b.weight(weight));
        }
        return out;
    }

    private static void addByFamily(Map<String, ResourceRecordSet> out, DnsChange change, RecordSet set, String id,
                                    java.util.function.UnaryOperator<ResourceRecordSet.Builder> routing) {
        Map<RRType, List<ResourceRecord>> byType = new LinkedHashMap<>();
        for (String address : set.addresses()) {
            byType.computeIfAbsent(family(address), t -> new ArrayList<>()).add(ResourceRecord.builder().value(IpLiteral.canonical(address)).build());
        }
        byType.forEach((type, values) -> {
            ResourceRecordSet rrs = routing.apply(ResourceRecordSet.builder().name(absolute(change.name())).type(type)
                    .setIdentifier(id).ttl(change.ttl().toSeconds()).resourceRecords(values)).build();
            out.put(key(rrs), rrs);
        });
    }

    /**
     * The changes that turn {@code actual} (every record set at the name) into {@code desired}.
     *
     * @throws IllegalStateException naming the record set when the name holds A/AAAA/CNAME records Meridian does not own
     */
    public List<Change> diff(String name, List<ResourceRecordSet> actual, Map<String, ResourceRecordSet> desired) {
        Map<String, ResourceRecordSet> mine = new LinkedHashMap<>();
        for (ResourceRecordSet rrs : actual) {
            if (owned(rrs)) {
                mine.put(key(rrs), rrs);
            } else if (rrs.type() == RRType.A || rrs.type() == RRType.AAAA || rrs.type() == RRType.CNAME) {
                throw new IllegalStateException("record set " + rrs.name() + " " + rrs.typeAsString()
                        + (rrs.setIdentifier() == null ? "" : " (SetIdentifier '" + rrs.setIdentifier() + "')")
                        + " is not Meridian's (its SetIdentifier does not start with '" + prefix + "'); refusing to publish " + name + " beside it");
            }
        }
        List<Change> changes = new ArrayList<>();
        mine.forEach((key, rrs) -> {
            if (!desired.containsKey(key)) {
                changes.add(Change.builder().action(ChangeAction.DELETE).resourceRecordSet(rrs).build());
            }
        });
        desired.forEach((key, rrs) -> {
            if (!same(mine.get(key), rrs)) {
                changes.add(Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(rrs).build());
            }
        });
        return changes;
    }

    /** Packs per-name change lists into requests of at most {@link #MAX_BATCH_COST}; one name never spans two. */
    public static List<List<Change>> batches(List<List<Change>> perName) {
        List<List<Change>> out = new ArrayList<>();
        List<Change> current = new ArrayList<>();
        int cost = 0;
        for (List<Change> name : perName) {
            int c = name.stream().mapToInt(Route53Records::cost).sum();
            if (c > MAX_BATCH_COST) {
                throw new IllegalArgumentException("the changes of " + name.get(0).resourceRecordSet().name() + " cost " + c
                        + " records, more than Route 53 takes in one request (" + MAX_BATCH_COST + ")");
            }
            if (cost + c > MAX_BATCH_COST) {
                out.add(current);
                current = new ArrayList<>();
                cost = 0;
            }
            current.addAll(name);
            cost += c;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    static int cost(Change c) {
        int records = Math.max(1, c.resourceRecordSet().resourceRecords().size());
        return c.action() == ChangeAction.DELETE ? records : 2 * records;
    }

    private static boolean same(ResourceRecordSet a, ResourceRecordSet b) {
        return a != null && Objects.equals(a.ttl(), b.ttl()) && Objects.equals(a.weight(), b.weight())
                && Objects.equals(a.failoverAsString(), b.failoverAsString())
                && a.resourceRecords().stream().map(r -> IpLiteral.canonical(r.value())).sorted().toList()
                        .equals(b.resourceRecords().stream().map(ResourceRecord::value).sorted().toList());
    }

    static String key(ResourceRecordSet rrs) {
        return rrs.typeAsString() + " " + rrs.setIdentifier();
    }

    /** Route 53 writes names absolute, lower case. */
    public static String absolute(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n : n + ".";
    }

    private static RRType family(String address) {
        return address.contains(":") ? RRType.AAAA : RRType.A;
    }
}
