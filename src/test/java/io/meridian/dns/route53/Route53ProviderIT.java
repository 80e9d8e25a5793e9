package io.meridian.dns.route53;

import io.meridian.clock.Clock;
import io.meridian.config.Route53Config;
import io.meridian.dns.DnsChange;
import io.meridian.dns.RecordSet;
import io.meridian.testing.Route53StandIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Route 53 specifics through the real SDK against the stand-in: routing, retries, pacing, INSYNC, batches. */
class Route53ProviderIT {

    private static final String ZONE = "r53.meridian.test";

    private Vertx vertx;
    private Route53StandIn route53;
    private SimpleMeterRegistry registry;
    private final List<Route53Provider> providers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        route53 = new Route53StandIn(vertx, "ZTEST", ZONE).start();
        registry = new SimpleMeterRegistry();
    }

    @AfterEach
    void stop() throws Exception {
        providers.forEach(Route53Provider::close);
        route53.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private Route53Provider provider(Route53Config.Style style, double rate, Duration syncTimeout, String accessKey) {
        Route53Config config = new Route53Config("ZTEST", Optional.of(route53.endpoint()), "us-east-1", "meridian-", style, rate,
                Duration.ofMillis(20), syncTimeout, Duration.ZERO, true);
        Route53Provider p = new Route53Provider(config, ZONE, Route53Provider.client(config,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, Route53StandIn.SECRET_KEY))),
                vertx.getOrCreateContext(), Clock.system(), registry);
        providers.add(p);
        return p;
    }

    private Route53Provider provider() {
        return provider(Route53Config.Style.WEIGHTED, 50, Duration.ofSeconds(10), Route53StandIn.ACCESS_KEY);
    }

    private static void await(Future<?> f) throws Exception {
        f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static DnsChange www(RecordSet... sets) {
        return new DnsChange("www." + ZONE, Duration.ofSeconds(30), List.of(sets));
    }

    private long posts() {
        return route53.requests().stream().filter(s -> s.method().equals("POST")).count();
    }

    @Test
    void weightedAnswersBecomeOneRecordSetPerRegionWithItsWeight() throws Exception {
        await(provider().apply(List.of(www(new RecordSet("us-east", 60, List.of("127.0.1.1")),
                new RecordSet("eu-west", 40, List.of("127.0.2.1", "127.0.2.2"))))));
        assertThat(route53.recordSets("www." + ZONE)).extracting(Route53StandIn.Rrs::setId, Route53StandIn.Rrs::weight, Route53StandIn.Rrs::values)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("meridian-us-east", 60L, List.of("127.0.1.1")),
                        org.assertj.core.groups.Tuple.tuple("meridian-eu-west", 40L, List.of("127.0.2.1", "127.0.2.2")));
    }

    @Test
    void weightsAboveRoute53sMaximumAreScaledKeepingTheirRatio() throws Exception {
        await(provider().apply(List.of(www(new RecordSet("us-east", 1000, List.of("127.0.1.1")),
                new RecordSet("eu-west", 500, List.of("127.0.2.1"))))));
        assertThat(route53.recordSets("www." + ZONE)).extracting(Route53StandIn.Rrs::weight).containsExactlyInAnyOrder(255L, 128L);
    }

    @Test
    void failoverStylePublishesTheChosenRegionAsPrimaryAndTheNextAsSecondary() throws Exception {
        Route53Provider p = provider(Route53Config.Style.FAILOVER, 50, Duration.ofSeconds(10), Route53StandIn.ACCESS_KEY);
        await(p.apply(List.of(www(new RecordSet("us-east", 100, List.of("127.0.1.1")), new RecordSet("eu-west", 10, List.of("127.0.2.1"))))));
        assertThat(route53.recordSets("www." + ZONE)).extracting(Route53StandIn.Rrs::setId, Route53StandIn.Rrs::failover, Route53StandIn.Rrs::values)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("meridian-primary", "PRIMARY", List.of("127.0.1.1")),
                        org.assertj.core.groups.Tuple.tuple("meridian-secondary", "SECONDARY", List.of("127.0.2.1")));
        // Failing over swaps the values in place: the same two record sets, one UPSERT each.
        await(p.apply(List.of(www(new RecordSet("eu-west", 100, List.of("127.0.2.1"))))));
        assertThat(route53.recordSets("www." + ZONE)).extracting(Route53StandIn.Rrs::failover, Route53StandIn.Rrs::values)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("PRIMARY", List.of("127.0.2.1")));
    }

    @Test
    void throttlingAndServerErrorsAreRetriedUntilTheChangeGoesThrough() throws Exception {
        route53.failNext(1, 400, "Throttling");
        route53.failNext(1, 400, "PriorRequestNotComplete");
        route53.failNext(1, 503, "ServiceUnavailable");
        await(provider().apply(List.of(www(new RecordSet("us-east", 1, List.of("127.0.1.1"))))));
        assertThat(route53.addresses("www." + ZONE)).containsExactly("127.0.1.1");
        assertThat(route53.requests()).hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void aProviderThatKeepsThrottlingFailsNamingTheErrorAndChangesNothing() throws Exception {
        route53.failNext(20, 400, "Throttling");
        assertThatThrownBy(() -> await(provider().apply(List.of(www(new RecordSet("us-east", 1, List.of("127.0.1.1")))))))
                .isInstanceOf(ExecutionException.class).cause()
                .hasMessageContaining("hosted zone ZTEST").hasMessageContaining("Throttling").hasMessageContaining("after 6 attempts");
        assertThat(route53.recordSets("www." + ZONE)).isEmpty();
    }

    @Test
    void requestsStayUnderTheConfiguredRate() throws Exception {
        Route53Provider p = provider(Route53Config.Style.WEIGHTED, 5, Duration.ofSeconds(30), Route53StandIn.ACCESS_KEY);
        route53.pendingPolls(3);
        for (int i = 0; i < 2; i++) {
            await(p.apply(List.of(www(new RecordSet("r" + i, 1, List.of("127.0.1." + (i + 1)))))));
        }
        List<Route53StandIn.Seen> seen = route53.requests();
        assertThat(seen).hasSizeGreaterThanOrEqualTo(8);
        for (int i = 0; i < seen.size(); i++) {
            // Route 53 counts what arrives: never more than 5 in any second. Arrival gaps alone vary with each
            // request's own latency (the first one of a cold client is slower), so windows are counted, with 50 ms to spare.
            long start = seen.get(i).nanos();
            long inWindow = seen.stream().filter(r -> r.nanos() >= start && r.nanos() - start < 950_000_000L).count();
            assertThat(inWindow).as("requests in the 950 ms from request " + i).isLessThanOrEqualTo(5);
        }
    }

    @Test
    void applyCompletesOnlyOnceTheChangeIsInsync() throws Exception {
        route53.pendingPolls(4);
        await(provider().apply(List.of(www(new RecordSet("us-east", 1, List.of("127.0.1.1"))))));
        assertThat(route53.requests().stream().filter(s -> s.path().contains("/change/")).count()).isEqualTo(4);
        assertThat(registry.get("meridian.dns.route53.sync").timer().count()).isEqualTo(1);
        assertThat(registry.get("meridian.dns.route53.pending").gauge().value()).isZero();
    }

    @Test
    void aChangeThatNeverGetsInsyncFailsAfterTheTimeout() throws Exception {
        route53.stuckPending(true);
        Route53Provider p = provider(Route53Config.Style.WEIGHTED, 50, Duration.ofMillis(500), Route53StandIn.ACCESS_KEY);
        assertThatThrownBy(() -> await(p.apply(List.of(www(new RecordSet("us-east", 1, List.of("127.0.1.1")))))))
                .cause().hasMessageContaining("still PENDING after PT0.5S");
    }

    @Test
    void largeChangesGoInBatchesOfAtMostAThousandRecordsAndListingPages() throws Exception {
        List<DnsChange> many = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            many.add(new DnsChange("n" + i + "." + ZONE, Duration.ofSeconds(30), List.of(new RecordSet("us-east", 1, List.of("127.0.1.1")))));
        }
        await(provider().apply(many));
        assertThat(posts()).as("600 UPSERTs count 1,200 records: two requests").isEqualTo(2);
        assertThat(route53.addresses("n599." + ZONE)).containsExactly("127.0.1.1");
        // Reading 600 record sets back takes two pages of 300 (and a third to see the end); nothing differs.
        assertThat(provider().drift(many).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)).isEmpty();
        assertThat(route53.requests().stream().filter(s -> s.method().equals("GET") && s.path().endsWith("rrset")).count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void wrongCredentialsAndUnknownZonesAreNamedInTheError() throws Exception {
        Route53Provider stranger = provider(Route53Config.Style.WEIGHTED, 50, Duration.ofSeconds(10), "AKIDSTRANGER");
        assertThatThrownBy(() -> await(stranger.apply(List.of(www(new RecordSet("us-east", 1, List.of("127.0.1.1")))))))
                .cause().hasMessageContaining("InvalidClientTokenId").hasMessageContaining("HTTP 403");
        Route53Config elsewhere = new Route53Config("ZNOPE", Optional.of(route53.endpoint()), "us-east-1", "meridian-",
                Route53Config.Style.WEIGHTED, 50, Duration.ofMillis(20), Duration.ofSeconds(5), Duration.ZERO, true);
        Route53Provider lost = new Route53Provider(elsewhere, ZONE, Route53Provider.client(elsewhere,
                Route53ProviderCompatibilityIT.credentials()), vertx.getOrCreateContext(), Clock.system(), new SimpleMeterRegistry());
        providers.add(lost);
        assertThatThrownBy(() -> await(lost.apply(List.of(www(new RecordSet("us-east", 1, List.of("127.0.1.1")))))))
                .cause().hasMessageContaining("NoSuchHostedZone").hasMessageContaining("ZNOPE");
        assertThat(posts()).isZero();
    }
}
