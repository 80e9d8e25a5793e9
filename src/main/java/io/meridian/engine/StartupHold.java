package io.meridian.engine;

import io.meridian.config.ServiceConfig;
import io.meridian.policy.DesiredAnswers;
import io.meridian.policy.RegionView;
import io.meridian.policy.RoutingPolicy;
import io.meridian.config.Durations;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The first seconds after a start, when results have not arrived from every endpoint. A region whose
 * endpoints are still UNKNOWN is neither up nor down, so while results still to come could change a
 * service's answer, the answer stays what is served (what coordination says was published, else
 * fail-open) for at most {@code wait}: a restart never sends clients away from the preferred region only
 * because its results came second. After the wait the policy decides from what is known.
 */
final class StartupHold {

    static final String PREFIX = "start-up: ";
    /** The reason when what is served is kept: nothing is published, so only an event says so. */
    static final String KEEPING = PREFIX + "keeping ";

    private final Instant until;
    private final Duration wait;

    StartupHold(Instant startedAt, Duration wait) {
        this.until = startedAt.plus(wait).truncatedTo(ChronoUnit.MILLIS);
        this.wait = wait;
    }

    /** Still inside the wait at {@code now}. */
    boolean active(Instant now) {
        return now.isBefore(until);
    }

    /**
     * What {@code service} answers at {@code now} in place of {@code decided}: {@code decided} once the
     * answer is settled or the wait is over (saying which regions were never heard from), else what is served.
     */
    DesiredAnswers apply(ServiceConfig service, List<RegionView> views, RoutingPolicy policy, DesiredAnswers decided,
                         Optional<DesiredAnswers> published, Set<String> drained, Instant now) {
        if (policy.settled(views)) {
            return decided;
        }
        String awaited = policy.awaited(views);
        if (!active(now)) {
            return with(decided, decided.reason() + " (the start-up wait of " + Durations.format(wait) + " is over; no result yet from "
                    + awaited + ")");
        }
        // A drain is the operator's, checked when given: what is served does not outlive it.
        if (published.isPresent() && published.get().regionsInService().stream().noneMatch(drained::contains)) {
            return with(published.get(), KEEPING + published.get().describe() + " until the first results of " + awaited
                    + " arrive (at most until " + until + ")");
        }
        DesiredAnswers open = RoutingPolicy.failOpen(service, views);
        return with(open, PREFIX + "serving every endpoint until the first results of " + awaited + " arrive (at most until "
                + until + ")");
    }

    private static DesiredAnswers with(DesiredAnswers d, String reason) {
        return d.because(reason);
    }
}
