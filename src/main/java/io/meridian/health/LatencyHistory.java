package io.meridian.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The last hour of every target's latency as each vantage saw it, in {@value #BUCKET_SECONDS}-second
 * buckets (p50 and p95 of the successful probes in each), for the dashboard's charts. Bounded: a
 * ring of {@value #BUCKETS} buckets per target and vantage, about 8.6 KiB each. Pure: time comes in
 * with each sample. One thread fills it; a {@link Copy} of a series may be read on another.
 */
public final class LatencyHistory {

    public static final int BUCKET_SECONDS = 5;
    public static final int BUCKETS = 720;
    /** Samples kept for the bucket being filled; beyond, they replace one another in turn. */
    private static final int SAMPLES = 16;

    private final Map<String, Series> series = new HashMap<>();

    private static final class Series {
        final int[] bucketOf = new int[BUCKETS];
        final float[] p50 = new float[BUCKETS];
        final float[] p95 = new float[BUCKETS];
        final float[] samples = new float[SAMPLES];
        int current = -1;
        int seen;

        Series() {
            Arrays.fill(bucketOf, -1);
        }

        void add(int bucket, float ms) {
            if (bucket != current) {
                close();
                current = bucket;
                seen = 0;
            }
            samples[seen % SAMPLES] = ms;
            seen++;
        }

        /** The bucket being filled goes into the ring. */
        void close() {
            if (current < 0 || seen == 0) {
                return;
            }
            float[] s = Arrays.copyOf(samples, Math.min(seen, SAMPLES));
            Arrays.sort(s);
            int slot = current % BUCKETS;
            bucketOf[slot] = current;
            p50[slot] = s[(s.length - 1) / 2];
            p95[slot] = s[(int) Math.ceil(0.95 * s.length) - 1];
        }
    }

    /** One point of a series: NaN where nothing was measured. */
    public record Points(Instant from, double[] p50, double[] p95) {
    }

    /**
     * A series' ring as it stood, copied whole (three array copies, the cheapest way to take it from the
     * thread that fills it): its points are worked out wherever they are read. Null arrays: never measured.
     */
    public record Copy(int[] bucketOf, float[] p50, float[] p95) {

        /** The hour up to {@code now}, oldest bucket first. */
        public Points points(Instant now) {
            int last = bucket(now);
            int first = last - BUCKETS + 1;
            double[] p50s = new double[BUCKETS];
            double[] p95s = new double[BUCKETS];
            Arrays.fill(p50s, Double.NaN);
            Arrays.fill(p95s, Double.NaN);
            if (bucketOf != null) {
                for (int b = first; b <= last; b++) {
                    int slot = b % BUCKETS;
                    if (bucketOf[slot] == b) {
                        p50s[b - first] = p50[slot];
                        p95s[b - first] = p95[slot];
                    }
                }
            }
            return new Points(Instant.ofEpochSecond((long) first * BUCKET_SECONDS), p50s, p95s);
        }
    }

    static int bucket(Instant at) {
        return (int) (at.getEpochSecond() / BUCKET_SECONDS);
    }

    public void record(String target, String vantage, Duration latency, Instant at) {
        series.computeIfAbsent(target + '\0' + vantage, k -> new Series()).add(bucket(at), latency.toNanos() / 1e6f);
    }

    /** A target a reload removed: its history goes with it. */
    public void forget(String target) {
        series.keySet().removeIf(k -> k.startsWith(target + '\0'));
    }

    /** One target's series from one vantage as it stands now (the bucket being filled included). */
    public Copy copy(String target, String vantage) {
        Series s = series.get(target + '\0' + vantage);
        if (s == null) {
            return new Copy(null, null, null);
        }
        s.close(); // what the current bucket holds so far
        return new Copy(s.bucketOf.clone(), s.p50.clone(), s.p95.clone());
    }

    /** The hour up to {@code now} of one target from one vantage, oldest bucket first. */
    public Points points(String target, String vantage, Instant now) {
        return copy(target, vantage).points(now);
    }

    public int size() {
        return series.size();
    }
}
