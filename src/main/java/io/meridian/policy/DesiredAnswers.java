package io.meridian.policy;

import java.time.Duration;
import java.util.List;

/**
 * What a service should answer, and why.
 *
 * @param failOpen true when no region was up and every endpoint is served rather than none
 */
public record DesiredAnswers(String service, Duration ttl, List<AnswerSet> sets, boolean failOpen, String reason) {

    public DesiredAnswers {
        sets = List.copyOf(sets);
    }

    public boolean isEmpty() {
        return sets.stream().allMatch(s -> s.addresses().isEmpty());
    }

    /** True when both would give resolvers the same answers (the reason may differ). */
    public boolean sameAnswers(DesiredAnswers other) {
        return other != null && ttl.equals(other.ttl) && sets.equals(other.sets);
    }

    public String describe() {
        return sets.stream().map(AnswerSet::toString).reduce((a, b) -> a + " " + b).orElse("(none)");
    }
}
