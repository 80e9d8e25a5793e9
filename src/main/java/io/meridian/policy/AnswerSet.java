package io.meridian.policy;

import java.util.List;

/**
 * Addresses that are handed out together. A query gets exactly one set, chosen with probability
 * {@code weight / sum(weights)} of the service's sets.
 *
 * @param label the region name, or {@code *} for a fail-open set spanning every region
 */
public record AnswerSet(String label, int weight, List<String> addresses) {

    static final int SHOWN = 8;

    public AnswerSet {
        if (weight < 0) {
            throw new IllegalArgumentException("weight was " + weight + " but must be >= 0");
        }
        addresses = List.copyOf(addresses);
    }

    @Override
    public String toString() {
        return heading() + addresses;
    }

    /** As {@link #toString}, with at most {@value #SHOWN} addresses: a log line stays readable at 1,000 endpoints. */
    public String brief() {
        return heading() + shown(addresses);
    }

    private String heading() {
        return label + (weight != 1 ? "(w" + weight + ")" : "");
    }

    /** The first {@value #SHOWN} addresses and how many more. */
    public static String shown(List<String> addresses) {
        return addresses.size() <= SHOWN ? addresses.toString()
                : addresses.subList(0, SHOWN) + " and " + (addresses.size() - SHOWN) + " more";
    }
}
