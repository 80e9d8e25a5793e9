package io.meridian.policy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The placement's promises, on examples and on seeded random regions (a failure names its seed). */
class LoadPlacementTest {

    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void aDeadRegionsLoadFillsTheNextInPriorityOrderAndSpillsTheRest() {
        LoadShares s = LoadPlacement.place(List.of(
                new LoadPlacement.Slot("us-east", false, 100, 100, 100),
                new LoadPlacement.Slot("eu-west", true, 0, 60, 60),
                new LoadPlacement.Slot("ap-south", true, 0, 60, 60)), 100);
        assertThat(s.shares()).extracting(LoadShares.Share::load).containsExactly(0.0, 60.0, 40.0);
        assertThat(s.unplaced()).isZero();
        assertThat(LoadPlacement.weights(s)).containsExactly(Map.entry("eu-west", 60), Map.entry("ap-south", 40));
        assertThat(s.describe()).isEqualTo("load 100: eu-west 60 of 60, ap-south 40 of 60");
    }

    @Test
    void beyondEveryLimitTheRestIsSpreadByLimitAndReported() {
        LoadShares s = LoadPlacement.place(List.of(
                new LoadPlacement.Slot("us-east", false, 200, 100, 90),
                new LoadPlacement.Slot("eu-west", true, 0, 60, 54),
                new LoadPlacement.Slot("ap-south", true, 0, 20, 18)), 200);
        assertThat(s.unplaced()).isCloseTo(128, within(1e-9));
        // Both overloaded by the same factor: 200 / 72.
        assertThat(s.shares().get(1).load() / 54).isCloseTo(s.shares().get(2).load() / 18, within(1e-9));
        assertThat(s.describe()).contains("eu-west 150 of 60 (limit 54)", "(128 of 200 has no home: every region in service is full)");
    }

    @Test
    void aRegionInServiceKeepsItsOwnLoadUpToItsLimit() {
        LoadShares s = LoadPlacement.place(List.of(
                new LoadPlacement.Slot("a", true, 50, 100, 100),
                new LoadPlacement.Slot("b", true, 30, 20, 20),
                new LoadPlacement.Slot("c", false, 20, INF, INF)), 100);
        assertThat(s.shares()).extracting(LoadShares.Share::load).containsExactly(80.0, 20.0, 0.0);
    }

    @Test
    void weightsSumTo100AndNobodyGivenLoadGetsZero() {
        LoadShares s = LoadPlacement.place(List.of(
                new LoadPlacement.Slot("a", true, 999, 999, 999),
                new LoadPlacement.Slot("b", true, 0.5, INF, INF),
                new LoadPlacement.Slot("c", true, 0.5, INF, INF)), 1000);
        Map<String, Integer> w = LoadPlacement.weights(s);
        assertThat(w.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        assertThat(w).containsEntry("b", 1).containsEntry("c", 1).containsEntry("a", 98);
    }

    @Test
    void randomRegionsNeverOverfillOneWhileAnotherHasRoomAndSharesSumToTheLoad() {
        long first = Long.getLong("meridian.seed", 20261203L);
        for (long seed = first; seed < first + 2000; seed++) {
            Random rnd = new Random(seed);
            List<LoadPlacement.Slot> slots = new ArrayList<>();
            int n = 1 + rnd.nextInt(6);
            double homes = 0;
            for (int i = 0; i < n; i++) {
                double capacity = rnd.nextInt(4) == 0 ? INF : rnd.nextInt(3) == 0 ? 0 : rnd.nextDouble() * 200;
                double home = rnd.nextInt(3) == 0 ? 0 : rnd.nextDouble() * 150;
                homes += home;
                slots.add(new LoadPlacement.Slot("r" + i, i == 0 || rnd.nextBoolean(), home, capacity, capacity * (0.5 + rnd.nextDouble())));
            }
            double total = homes + (rnd.nextBoolean() ? 0 : rnd.nextDouble() * 50);
            LoadShares s = LoadPlacement.place(slots, total);
            String as = "seed " + seed + " (rerun: -Dmeridian.seed=" + seed + "): " + slots + " -> " + s;
            assertThat(s.shares().stream().mapToDouble(LoadShares.Share::load).sum()).as(as).isCloseTo(total, within(1e-6));
            boolean roomLeft = false;
            boolean overfilled = false;
            double limits = 0;
            for (int i = 0; i < n; i++) {
                LoadPlacement.Slot slot = slots.get(i);
                double load = s.shares().get(i).load();
                assertThat(load).as(as).isGreaterThanOrEqualTo(0);
                if (!slot.inService()) {
                    assertThat(load).as(as + ": out of service").isZero();
                    continue;
                }
                assertThat(load).as(as + ": keeps its own").isGreaterThanOrEqualTo(Math.min(slot.home(), slot.limit()) - 1e-9);
                roomLeft |= load < slot.limit() - 1e-6;
                overfilled |= load > slot.limit() + 1e-6;
                limits += slot.limit();
            }
            assertThat(roomLeft && overfilled).as(as + ": a region over its limit while another has room").isFalse();
            assertThat(s.unplaced()).as(as).isCloseTo(Double.isInfinite(limits) ? 0 : Math.max(0, total - limits), within(1e-6));
            if (total > 1e-6) {
                Map<String, Integer> w = LoadPlacement.weights(s);
                assertThat(w).as(as + ": never an empty answer").isNotEmpty();
                assertThat(w.size() == 1 ? 100 : w.values().stream().mapToInt(Integer::intValue).sum()).as(as + ": weights").isEqualTo(100);
                assertThat(w.keySet()).as(as).allSatisfy(r -> assertThat(slots.get(Integer.parseInt(r.substring(1))).inService()).isTrue());
            }
        }
    }
}
