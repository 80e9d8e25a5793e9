package io.meridian.dns.route53;

import io.meridian.testing.Route53StandIn;
import io.meridian.testing.RunningDaemon;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The daemon publishing to Route 53 (the stand-in) beside its embedded server, with credentials from
 * the SDK's default chain (here its system properties).
 */
class PublishToRoute53IT {

    private static Vertx vertx;

    @TempDir
    Path config;

    @BeforeAll
    static void credentials() {
        vertx = Vertx.vertx();
        System.setProperty("aws.accessKeyId", Route53StandIn.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", Route53StandIn.SECRET_KEY);
    }

    @AfterAll
    static void forget() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void configure(Route53StandIn route53) throws Exception {
        RunningDaemon.start(config).close(); // writes the test configuration
        Path yaml = config.resolve("meridian.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("dns:\n  zone: example.test\n",
                "dns:\n  zone: example.test\n  route53: {hosted-zone-id: ZDAEMON, endpoint: \"" + route53.endpoint()
                        + "\", sync-poll: 50ms, reconcile: 1s}\n"));
    }

    @Test
    void aFailoverReachesRoute53ThroughThrottlingAndHandEditsAreRepaired() throws Exception {
        try (Route53StandIn route53 = new Route53StandIn(vertx, "ZDAEMON", "example.test").start()) {
            configure(route53);
            try (RunningDaemon d = RunningDaemon.start(config)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> route53.addresses("app.example.test").equals(java.util.Set.of("127.0.1.1", "127.0.1.2")));
                assertThat(route53.recordSets("app.example.test")).extracting(Route53StandIn.Rrs::setId).containsExactly("meridian-us-east");
                route53.failNext(2, 400, "Throttling");
                d.call("POST", "/demo/regions/us-east/fail", null, null);
                await().atMost(Duration.ofSeconds(10)).until(() -> route53.addresses("app.example.test").equals(java.util.Set.of("127.0.2.1", "127.0.2.2")));
                assertThat(d.answer("app.example.test", false)).as("the embedded server agrees").containsExactly("127.0.2.1", "127.0.2.2");

                Route53StandIn.Rrs mine = route53.recordSets("app.example.test").get(0);
                route53.put(new Route53StandIn.Rrs(mine.name(), mine.type(), mine.setId(), mine.weight(), null, mine.ttl(), List.of("10.6.6.6")));
                await().atMost(Duration.ofSeconds(10)).until(() -> route53.addresses("app.example.test").equals(java.util.Set.of("127.0.2.1", "127.0.2.2")));
                assertThat(Files.readString(config.resolve(io.meridian.coord.local.StateFiles.JOURNAL))).contains("\"kind\":\"DRIFT\"");
                assertThat(d.call("GET", "/metrics", null, null).body()).contains("meridian_dns_route53_sync_seconds_count")
                        .contains("meridian_dns_drift_total{action=\"repaired\",provider=\"route53\"}");
            }
        }
    }

    @Test
    void whileRoute53FailsTheDaemonSaysSoAndAppliesTheLatestPlanWhenItReturns() throws Exception {
        try (Route53StandIn route53 = new Route53StandIn(vertx, "ZDAEMON", "example.test").start()) {
            configure(route53);
            route53.failNext(1_000, 500, "InternalFailure");
            try (RunningDaemon d = RunningDaemon.start(config)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> d.call("GET", "/readyz", null, null).statusCode() == 503);
                d.call("POST", "/demo/regions/us-east/fail", null, null);
                await().atMost(Duration.ofSeconds(5)).until(() -> d.answer("app.example.test", false).equals(List.of("127.0.2.1", "127.0.2.2")));
                assertThat(route53.recordSets("app.example.test")).isEmpty();
                route53.clearFaults();
                await().atMost(Duration.ofSeconds(40)).until(() -> route53.addresses("app.example.test").equals(java.util.Set.of("127.0.2.1", "127.0.2.2")));
                assertThat(route53.recordSets("app.example.test")).extracting(Route53StandIn.Rrs::setId)
                        .as("the latest plan, not the backlog").containsExactly("meridian-eu-west");
                await().atMost(Duration.ofSeconds(5)).until(() -> d.call("GET", "/readyz", null, null).statusCode() == 200);
            }
        }
    }
}
