package io.meridian.policy;

import java.util.List;

/**
 * Addresses that are handed out together. A query gets exactly one set, chosen with probability
 * {@code weight / sum(weights)} of the service's sets.
 *
 * @param label the region name, or {@code *} for a fail-open set spanning every region
 */
public record AnswerSet(String label, int weight, List<String> addresses) {

    public AnswerSet {
        if (weight < 0) {
            throw new IllegalArgumentException("weight was " + weight + " but must be >= 0");
        }
        addresses = List.copyOf(addresses);
    }

    @Override
    public String toString() {
        return label + (weight != 1 ? "(w" + weight + ")" : "") + addresses;
    }
}
