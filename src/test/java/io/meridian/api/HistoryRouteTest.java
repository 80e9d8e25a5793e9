package io.meridian.api;

import io.meridian.health.LatencyHistory;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryRouteTest {

    private static final double N = Double.NaN;

    @Test
    void aRegionsSeriesIsTheMedianOfItsEndpointsP50AndTheHighestP95OverThoseMeasured() {
        LatencyHistory.Points a = points(new double[] {1, N, 5, N}, new double[] {10, N, 50, N});
        LatencyHistory.Points b = points(new double[] {3, 2, N, N}, new double[] {30, 20, N, N});
        LatencyHistory.Points c = points(new double[] {2, 4, 7, N}, new double[] {90, 40, 60, N});
        double[][] region = HistoryRoute.overEndpoints(new LatencyHistory.Points[] {a, b, c});
        // Bucket 0: {1, 2, 3} -> 2; bucket 1: {2, 4} -> the lower middle, 2; bucket 2: {5, 7} -> 5; bucket 3: none.
        assertThat(region[0]).containsExactly(2, 2, 5, N);
        assertThat(region[1]).containsExactly(90, 40, 60, N);
        assertThat(HistoryRoute.overEndpoints(new LatencyHistory.Points[0])[0]).isEmpty();
    }

    private static LatencyHistory.Points points(double[] p50, double[] p95) {
        return new LatencyHistory.Points(Instant.EPOCH, p50, p95);
    }
}
