package io.meridian.config;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * How observations from several vantage points become one verdict per target.
 *
 * @param vantages           every vantage point expected to report (quorums are counted against them)
 * @param staleness          a vantage's last report on a target older than this does not vote
 * @param partitionThreshold a vantage that sees at least this fraction of all targets down, while
 *                           another fresh vantage sees less than half of that down, is presumed cut
 *                           off and set aside
 * @param minHold            flap damping: a target that went DOWN stays DOWN at least this long (and UP/DEGRADED
 *                           changes wait as long); going DOWN is never delayed
 * @param latencyWindow      samples kept per target and vantage for p50/p95
 * @param ewmaAlpha          weight of the newest sample in the latency EWMA
 * @param startupWait        after a start, how long a service's answer may stay as it is (fail-open, or what
 *                           coordination says is served) while the regions it would rank are still UNKNOWN;
 *                           empty: two of the slowest check's interval × rise
 */
public record HealthSettings(List<String> vantages, Quorum quorum, Duration staleness, double partitionThreshold,
                             Duration minHold, int latencyWindow, double ewmaAlpha, Optional<Duration> startupWait) {

    public HealthSettings {
        vantages = List.copyOf(vantages);
    }

    public HealthSettings(List<String> vantages, Quorum quorum, Duration staleness, double partitionThreshold,
                          Duration minHold, int latencyWindow, double ewmaAlpha) {
        this(vantages, quorum, staleness, partitionThreshold, minHold, latencyWindow, ewmaAlpha, Optional.empty());
    }

    /** The start-up wait: as configured, else two of the slowest check's interval × rise. */
    public Duration startupWait(Collection<HealthCheckConfig> checks) {
        return startupWait.orElseGet(() -> checks.stream().map(c -> c.interval().multipliedBy(2L * c.rise()))
                .max(Duration::compareTo).orElse(Duration.ZERO));
    }

    public static HealthSettings defaults(String vantage) {
        return new HealthSettings(List.of(vantage), Quorum.majority(), Duration.ofSeconds(30), 0.9,
                Duration.ofSeconds(3), 32, 0.3);
    }
}
