package io.meridian.dns;

import java.util.List;

/** Addresses served together for one name; one set is chosen per query with probability weight/sum. */
public record RecordSet(String id, int weight, List<String> addresses) {

    public RecordSet {
        addresses = List.copyOf(addresses);
    }
}
