package io.meridian.policy;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a service should answer, and why.
 *
 * @param sets     the answer for clients in no known region (and for every client unless {@code byClient} says otherwise)
 * @param byClient latency policy: the answer for clients placed in each region
 * @param failOpen true when no region was in service and every endpoint is served rather than none
 * @param load     where the service's declared load goes ({@link LoadShares#NONE}: it declares none); not part of the answers
 */
public record DesiredAnswers(String service, Duration ttl, List<AnswerSet> sets, Map<String, List<AnswerSet>> byClient,
                             boolean failOpen, String reason, LoadShares load) {

    public DesiredAnswers {
        sets = List.copyOf(sets);
        byClient = Map.copyOf(byClient);
    }

    public DesiredAnswers(String service, Duration ttl, List<AnswerSet> sets, Map<String, List<AnswerSet>> byClient,
                          boolean failOpen, String reason) {
        this(service, ttl, sets, byClient, failOpen, reason, LoadShares.NONE);
    }

    public DesiredAnswers(String service, Duration ttl, List<AnswerSet> sets, boolean failOpen, String reason) {
        this(service, ttl, sets, Map.of(), failOpen, reason);
    }

    /** The same answers for another reason. */
    public DesiredAnswers because(String why) {
        return new DesiredAnswers(service, ttl, sets, byClient, failOpen, why, load);
    }

    /** Other sets, for the same reason and load. */
    public DesiredAnswers withSets(List<AnswerSet> other) {
        return new DesiredAnswers(service, ttl, other, byClient, failOpen, reason, load);
    }

    /** True when any client could get an empty answer. */
    public boolean isEmpty() {
        return sets.isEmpty() || sets.stream().allMatch(s -> s.addresses().isEmpty())
                || byClient.values().stream().anyMatch(l -> l.isEmpty() || l.stream().allMatch(s -> s.addresses().isEmpty()));
    }

    /** True when both would give resolvers the same answers (the reason may differ). */
    public boolean sameAnswers(DesiredAnswers other) {
        return other != null && ttl.equals(other.ttl) && sets.equals(other.sets) && byClient.equals(other.byClient);
    }

    /** Labels of the regions that get any traffic ({@code *} for fail-open). */
    public Set<String> regionsInService() {
        Set<String> in = new LinkedHashSet<>();
        sets.stream().filter(s -> s.weight() > 0 || sets.size() == 1).forEach(s -> in.add(s.label()));
        byClient.values().forEach(l -> l.forEach(s -> in.add(s.label())));
        return in;
    }

    /** The label of the first set: the serving region of a failover service. */
    public String primary() {
        return sets.isEmpty() ? "" : sets.get(0).label();
    }

    public String describe() {
        return describe(AnswerSet::toString);
    }

    /** As {@link #describe}, with a few addresses per set: for the decision log. */
    public String brief() {
        return describe(AnswerSet::brief);
    }

    private String describe(java.util.function.Function<AnswerSet, String> set) {
        String base = sets.stream().map(set).reduce((a, b) -> a + " " + b).orElse("(none)");
        if (byClient.isEmpty()) {
            return base;
        }
        StringBuilder sb = new StringBuilder(base);
        new TreeMap<>(byClient).forEach((client, l) -> sb.append(", clients in ").append(client).append(": ")
                .append(l.stream().map(AnswerSet::label).reduce((a, b) -> a + " " + b).orElse("(none)")));
        return sb.toString();
    }
}
