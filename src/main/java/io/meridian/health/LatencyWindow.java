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
        return percentiles(new LatencyWindow[] {this}, q)[0];
    }

    /**
     * The q-quantiles over the union of several windows (a region's targets), nearest-rank, NaN when all
     * are empty. One sort for all of them: a region of 1,000 targets holds about 10^5 samples.
     */
    public static double[] percentiles(LatencyWindow[] windows, double... qs) {
        int n = 0;
        for (LatencyWindow w : windows) {
            n += w == null ? 0 : w.count;
        }
        double[] out = new double[qs.length];
        if (n == 0) {
            Arrays.fill(out, Double.NaN);
            return out;
        }
        float[] all = new float[n];
        int i = 0;
        for (LatencyWindow w : windows) {
            if (w != null) {
                System.arraycopy(w.samples, 0, all, i, w.count);
                i += w.count;
            }
        }
        Arrays.sort(all);
        for (int k = 0; k < qs.length; k++) {
            int rank = (int) Math.ceil(qs[k] * n);
            out[k] = all[Math.max(0, Math.min(n - 1, rank - 1))];
        }
        return out;
    }
}
