package io.meridian.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Places a service's load on its regions within what each may take. A region in service keeps its
 * normal load up to its limit; what has no home (the load of regions out of service, any excess over
 * a limit, and what a degraded region sheds) goes to the regions in service in the order given, each up to its limit. When all of
 * them are full the rest is spread over them in proportion to their limits: overloaded evenly, and
 * never an empty answer. Pure.
 */
public final class LoadPlacement {

    /** Two loads this close are equal: the sums are of user-given decimals. */
    public static final double EPSILON = 1e-6;

    private LoadPlacement() {
    }

    /**
     * One region as the placement sees it.
     *
     * @param home     its normal load
     * @param capacity its declared capacity (infinite: none)
     * @param limit    what may be placed on it: capacity x headroom (infinite: no limit); ignored when out of service
     */
    public record Slot(String region, boolean inService, double home, double capacity, double limit) {
    }

    /**
     * @param order the regions, in the order homeless load is offered to them
     * @param total the whole load: at least the sum of the regions' normal loads (any more has no home to begin with)
     */
    public static LoadShares place(List<Slot> order, double total) {
        Map<String, Double> placed = new LinkedHashMap<>();
        double left = total;
        for (Slot s : order) {
            double keep = s.inService() ? Math.min(s.home(), s.limit()) : 0;
            placed.put(s.region(), keep);
            left -= keep;
        }
        for (Slot s : order) {
            if (s.inService() && left > EPSILON) {
                double take = Math.min(left, s.limit() - placed.get(s.region()));
                if (take > 0) {
                    placed.merge(s.region(), take, Double::sum);
                    left -= take;
                }
            }
        }
        double unplaced = Math.max(0, left);
        if (unplaced > EPSILON) {
            List<Slot> in = order.stream().filter(Slot::inService).toList();
            double limits = in.stream().mapToDouble(Slot::limit).sum();
            for (Slot s : in) {
                placed.merge(s.region(), unplaced * (limits > 0 ? s.limit() / limits : 1.0 / in.size()), Double::sum);
            }
        } else {
            unplaced = 0;
        }
        List<LoadShares.Share> shares = new ArrayList<>();
        for (Slot s : order) {
            shares.add(new LoadShares.Share(s, placed.get(s.region())));
        }
        return new LoadShares(total, shares, unplaced);
    }

    /**
     * Answer weights in proportion to the placed loads, summing to 100; a region given any load gets
     * at least 1, one given none is left out. A single region gets weight 1, as without a load.
     */
    public static Map<String, Integer> weights(LoadShares shares) {
        List<LoadShares.Share> given = shares.shares().stream().filter(s -> s.load() > EPSILON).toList();
        Map<String, Integer> out = new LinkedHashMap<>();
        if (given.size() == 1) {
            out.put(given.get(0).region(), 1);
            return out;
        }
        double sum = given.stream().mapToDouble(LoadShares.Share::load).sum();
        int used = 0;
        double[] rest = new double[given.size()];
        for (int i = 0; i < given.size(); i++) {
            double exact = 100 * given.get(i).load() / sum;
            int w = Math.max(1, (int) Math.floor(exact));
            out.put(given.get(i).region(), w);
            rest[i] = exact - w;
            used += w;
        }
        // The minimum of 1 may overshoot: take it back from the largest. Then largest remainders first, to sum to 100.
        for (; used > 100 && given.size() <= 100; used--) {
            String largest = out.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            out.merge(largest, -1, Integer::sum);
        }
        for (; used < 100; used++) {
            int best = 0;
            for (int i = 1; i < rest.length; i++) {
                best = rest[i] > rest[best] ? i : best;
            }
            out.merge(given.get(best).region(), 1, Integer::sum);
            rest[best] -= 1;
        }
        return out;
    }
}
