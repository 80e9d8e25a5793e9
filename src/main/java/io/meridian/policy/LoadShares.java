package io.meridian.policy;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where a service's load goes: each region's share against what it may take. Empty ({@link #NONE})
 * for a service that declares no load.
 *
 * @param total    the service's whole load
 * @param unplaced load beyond what the regions in service may take together: it is still served, spread
 *                 over them in proportion to their limits, and reported
 */
public record LoadShares(double total, List<Share> shares, double unplaced) {

    public static final LoadShares NONE = new LoadShares(0, List.of(), 0);

    /** What {@code slot} was given. */
    public record Share(LoadPlacement.Slot slot, double load) {

        public String region() {
            return slot.region();
        }

        /** The region's capacity (infinite: none declared). */
        public double capacity() {
            return slot.capacity();
        }

        /** What this service may place there: capacity x headroom; 0 when out of service. */
        public double limit() {
            return slot.inService() ? slot.limit() : 0;
        }
    }

    public LoadShares {
        shares = List.copyOf(shares);
    }

    public boolean declared() {
        return !shares.isEmpty();
    }

    /** The placement again with {@code regions} out of service as well (a returning region held back). */
    public LoadShares without(java.util.Set<String> regions) {
        return LoadPlacement.place(shares.stream().map(Share::slot).map(s -> regions.contains(s.region())
                ? new LoadPlacement.Slot(s.region(), false, s.home(), s.capacity(), s.limit()) : s).toList(), total);
    }

    /** "eu-west 60 of 60, ap-south 40 of 60 (40 of 100 has no home)": for reasons and dry runs. */
    public String describe() {
        String placed = shares.stream().filter(s -> s.load() > 0)
                .map(s -> s.region() + " " + number(s.load()) + (Double.isInfinite(s.capacity()) ? "" : " of " + number(s.capacity())
                        + (s.limit() < s.capacity() ? " (limit " + number(s.limit()) + ")" : "")))
                .collect(Collectors.joining(", "));
        return "load " + number(total) + ": " + (placed.isEmpty() ? "none placed" : placed)
                + (unplaced > 0 ? " (" + number(unplaced) + " of " + number(total) + " has no home: every region in service is full)" : "");
    }

    public static String number(double v) {
        return Math.abs(v - Math.rint(v)) < 0.05 ? Long.toString(Math.round(v)) : String.format(Locale.ROOT, "%.1f", v);
    }
}
