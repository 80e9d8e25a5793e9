package io.meridian.health;

import java.util.Arrays;

/**
 * Latency of one target from one vantage: an EWMA and the last {@code size} samples for
 * percentiles. Mutable, owned by the {@link HealthBook} (one thread).
 */
public final class LatencyWindow {

    private final double alpha;
    private final float[] samples;
    private int count;
    private int next;
    private double ewma = Double.NaN;

    public LatencyWindow(int size, double alpha) {
        this.samples = new float[size];
        this.alpha = alpha;
    }

    public void record(double millis) {
        ewma = Double.isNaN(ewma) ? millis : alpha * millis + (1 - alpha) * ewma;
        samples[next] = (float) millis;
        next = (next + 1) % samples.length;
        count = Math.min(count + 1, samples.length);
    }

    /** Another vantage's EWMA as it reported it: taken as is, and as a sample for the percentiles. */
    public void adopt(double ewmaMillis) {
        if (Double.isNaN(ewmaMillis)) {
            return;
        }
        record(ewmaMillis);
        ewma = ewmaMillis;
    }

    /** NaN before the first sample. */
    public double ewmaMillis() {
        return ewma;
    }

    /** The q-quantile (0..1) of the window, nearest-rank; NaN when empty. */
    public double percentile(double q) {
        return percentile(new LatencyWindow[] {this}, q);
    }

    /** The q-quantile over the union of several windows (a region's targets), nearest-rank. */
    public static double percentile(LatencyWindow[] windows, double q) {
        int n = 0;
        for (LatencyWindow w : windows) {
            n += w == null ? 0 : w.count;
        }
        if (n == 0) {
            return Double.NaN;
        }
        double[] all = new double[n];
        int i = 0;
        for (LatencyWindow w : windows) {
            if (w != null) {
                for (int k = 0; k < w.count; k++) {
                    all[i++] = w.samples[k];
                }
            }
        }
        Arrays.sort(all);
        int rank = (int) Math.ceil(q * n);
        return all[Math.max(0, Math.min(n - 1, rank - 1))];
    }
}
