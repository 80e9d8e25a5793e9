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

    int count() {
        return count;
    }

    /** The {@code i}th sample held (in storage order), for tests. */
    float sample(int i) {
        return samples[i];
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
     * are empty. A region of 1,000 targets holds about 10^5 samples, and {@code /v1/status} asks on the
     * decision loop: each rank is selected (quickselect, in ascending order of rank, each search within what
     * is left above the previous one), not sorted for.
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
        Integer[] order = new Integer[qs.length];
        for (int k = 0; k < qs.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> Double.compare(qs[a], qs[b]));
        int from = 0;
        for (int k : order) {
            int index = Math.max(0, Math.min(n - 1, (int) Math.ceil(qs[k] * n) - 1));
            out[k] = select(all, from, n - 1, index);
            from = index; // everything before it is no larger: the next, higher rank is at or after it
        }
        return out;
    }

    /** The value that sorting {@code a[lo..hi]} would put at {@code index}; partly reorders {@code a}. */
    static float select(float[] a, int lo, int hi, int index) {
        java.util.concurrent.ThreadLocalRandom rnd = java.util.concurrent.ThreadLocalRandom.current();
        while (lo < hi) {
            float pivot = a[lo + rnd.nextInt(hi - lo + 1)];
            // Three-way partition: [lo, lt) below the pivot, [lt, gt] equal to it, (gt, hi] above.
            int lt = lo;
            int gt = hi;
            int i = lo;
            while (i <= gt) {
                int c = Float.compare(a[i], pivot);
                if (c < 0) {
                    swap(a, lt++, i++);
                } else if (c > 0) {
                    swap(a, i, gt--);
                } else {
                    i++;
                }
            }
            if (index < lt) {
                hi = lt - 1;
            } else if (index > gt) {
                lo = gt + 1;
            } else {
                return pivot;
            }
        }
        return a[lo];
    }

    private static void swap(float[] a, int i, int j) {
        float t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
