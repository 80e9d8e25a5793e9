package io.meridian.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Publish answers as Route 53 record sets of one hosted zone. Credentials come from the AWS SDK's
 * default provider chain (environment, profile, instance role), never from this file.
 *
 * @param endpoint          {@code endpointOverride} for the SDK (a proxy, or a local stand-in); empty: AWS
 * @param signingRegion     the region requests are signed for (Route 53 is global: {@code us-east-1})
 * @param ownerPrefix       Meridian owns exactly the record sets whose {@code SetIdentifier} starts with this
 * @param requestsPerSecond at most this many API requests per second (Route 53 allows 5 per account)
 * @param syncPoll          how often {@code GetChange} is asked until the change is {@code INSYNC}
 * @param syncTimeout       a change not {@code INSYNC} by then fails (and is sent again)
 * @param reconcile         how often the records are read back (zero: never)
 * @param repair            true: hand edits are put back; false ({@code observe}): only reported
 */
public record Route53Config(String hostedZoneId, Optional<URI> endpoint, String signingRegion, String ownerPrefix, Style style,
                            double requestsPerSecond, Duration syncPoll, Duration syncTimeout, Duration reconcile, boolean repair) {

    /** Which Route 53 routing the answer sets become. */
    public enum Style { WEIGHTED, FAILOVER }
}
