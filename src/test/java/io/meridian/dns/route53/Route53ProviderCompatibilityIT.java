package io.meridian.dns.route53;

import io.meridian.clock.Clock;
import io.meridian.config.Route53Config;
import io.meridian.dns.DnsProvider;
import io.meridian.dns.DnsProviderCompatibilityKit;
import io.meridian.testing.Route53StandIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The provider contract through the real AWS SDK against the Route 53 stand-in. */
class Route53ProviderCompatibilityIT extends DnsProviderCompatibilityKit {

    private static Vertx vertx;
    private static Route53StandIn route53;
    private static Route53Provider provider;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        route53 = new Route53StandIn(vertx, "ZCOMPAT", ZONE).start();
        Route53Config config = new Route53Config("ZCOMPAT", Optional.of(route53.endpoint()), "us-east-1", "meridian-",
                Route53Config.Style.WEIGHTED, 50, Duration.ofMillis(20), Duration.ofSeconds(10), Duration.ZERO, true);
        provider = new Route53Provider(config, ZONE, Route53Provider.client(config, credentials()), vertx.getOrCreateContext(),
                Clock.system(), new SimpleMeterRegistry());
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(Route53StandIn.ACCESS_KEY, Route53StandIn.SECRET_KEY));
    }

    @AfterAll
    static void stop() throws Exception {
        provider.close();
        route53.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Override
    protected DnsProvider provider() {
        return provider;
    }

    @Override
    protected Set<String> served(String name) {
        return route53.addresses(name);
    }

    @Override
    protected boolean editableByHand() {
        return true;
    }

    @Override
    protected void createForeign(String name, String address) {
        route53.put(new Route53StandIn.Rrs(name + ".", "A", null, null, null, 300, List.of(address)));
    }

    /** As in the console: the values of Meridian's own record set change. */
    @Override
    protected void editOwned(String name, String address) {
        Route53StandIn.Rrs mine = route53.recordSets(name).get(0);
        route53.put(new Route53StandIn.Rrs(mine.name(), mine.type(), mine.setId(), mine.weight(), mine.failover(), mine.ttl(), List.of(address)));
    }
}
