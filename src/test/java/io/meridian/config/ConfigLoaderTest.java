package io.meridian.config;

import io.meridian.testing.ConfigDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private List<String> problems(ConfigDir config) {
        return config.problems(dir);
    }

    @Test
    void loadsAValidDirectoryIntoRecords() throws Exception {
        MeridianConfig c = ConfigLoader.load(ConfigDir.base().writeTo(dir));
        assertThat(c.vantage()).isEqualTo("us-east");
        assertThat(c.dns().zone()).isEqualTo("example.test");
        assertThat(c.services()).singleElement().satisfies(s -> {
            assertThat(s.policy()).isEqualTo(PolicyType.FAILOVER);
            assertThat(s.ttl()).isEqualTo(Duration.ofSeconds(5));
            assertThat(s.regions()).containsExactly("us-east", "eu-west");
        });
        assertThat(c.regions()).extracting(RegionConfig::name).containsExactly("eu-west", "us-east");
        HealthCheckConfig web = c.checksByName().get("web");
        assertThat(web.type()).isEqualTo(CheckType.HTTP);
        assertThat(web.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(web.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(web.expectStatus()).contains(200, 204, 302).doesNotContain(404, 503);
        assertThat(web.rise()).isEqualTo(2);
        assertThat(web.fall()).isEqualTo(2);
    }

    @Test
    void theRepositoryDemoConfigIsValid() throws Exception {
        MeridianConfig c = ConfigLoader.load(Path.of("."));
        assertThat(c.dns().zone()).isEqualTo("demo.meridian.test");
        assertThat(c.regions()).extracting(RegionConfig::name).containsExactlyInAnyOrder("us-east", "eu-west", "ap-south");
    }

    static Stream<Arguments> oneMistakeEach() {
        return Stream.of(
                Arguments.of("unknown key", "meridian.yaml", ConfigDir.base().with("meridian.yaml", """
                        vantage: us-east
                        dns:
                          zone: example.test
                        services:
                          - {name: app.example.test, policy: failover, regions: [us-east]}
                        colour: blue
                        """), "meridian.yaml:6:1: unknown key 'colour' (expected one of: api, automation, clients, coordination, databases, dns, drills, health, logging, services, vantage)"),
                Arguments.of("missing field", "region", ConfigDir.base().with("regions/eu-west.yaml", """
                        name: eu-west
                        endpoints:
                          - {address: 127.0.2.1, port: 8081, check: web}
                        """), "regions/eu-west.yaml:1:1: missing required field 'priority'"),
                Arguments.of("bad duration", "check", ConfigDir.base().with("healthchecks/web.yaml", """
                        type: http
                        interval: 1 second
                        timeout: 500ms
                        """), "healthchecks/web.yaml:2:11: interval was '1 second' but must be a duration such as 500ms, 2s, 1m, 1h, 1d"),
                Arguments.of("port out of range", "region", ConfigDir.base().with("regions/eu-west.yaml", """
                        name: eu-west
                        priority: 2
                        endpoints:
                          - address: 127.0.2.1
                            port: 70000
                            check: web
                        """), "regions/eu-west.yaml:5:11: endpoints[0].port was '70000' but must be an integer 1-65535"),
                Arguments.of("bad address", "region", ConfigDir.base().with("regions/eu-west.yaml", """
                        name: eu-west
                        priority: 2
                        endpoints:
                          - address: 10.0.0.300
                            port: 80
                            check: web
                        """), "regions/eu-west.yaml:4:14: endpoints[0].address was '10.0.0.300' but must be an IPv4 or IPv6 address"),
                Arguments.of("unknown region reference", "service", ConfigDir.base().with("meridian.yaml", """
                        vantage: us-east
                        dns: {zone: example.test}
                        services:
                          - name: app.example.test
                            policy: failover
                            regions: [us-east, mars]
                        """), "meridian.yaml:6:24: services[0].regions names 'mars' but no region has that name (known: eu-west, us-east)"),
                Arguments.of("unknown health-check reference", "region", ConfigDir.base().with("regions/eu-west.yaml", """
                        name: eu-west
                        priority: 2
                        endpoints:
                          - address: 127.0.2.1
                            port: 8081
                            check: webb
                        """), "regions/eu-west.yaml:6:12: endpoints[0].check was 'webb' but no health check has that name (known: web)"),
                Arguments.of("duplicate region name", "region", ConfigDir.base().with("regions/copy.yaml", """
                        name: us-east
                        priority: 2
                        endpoints:
                          - {address: 127.0.9.1, port: 8081, check: web}
                        """), "regions/us-east.yaml:1:7: region name 'us-east' is already defined in regions/copy.yaml"),
                Arguments.of("duplicate service name", "service", ConfigDir.base().with("meridian.yaml", """
                        vantage: us-east
                        dns: {zone: example.test}
                        services:
                          - {name: app.example.test, policy: failover, regions: [us-east]}
                          - {name: app.example.test, policy: weighted, regions: [eu-west]}
                        """), "meridian.yaml:5:12: services[1].name 'app.example.test' is already defined on line 4"),
                Arguments.of("duplicate endpoint", "region", ConfigDir.base().with("regions/eu-west.yaml", """
                        name: eu-west
                        priority: 2
                        endpoints:
                          - {address: 127.0.1.1, port: 8081, check: web}
                        """), "regions/us-east.yaml:4:5: endpoints[0].address 127.0.1.1:8081 is already an endpoint of region 'eu-west'"),
                Arguments.of("timeout not below interval", "check", ConfigDir.base().with("healthchecks/web.yaml", """
                        type: http
                        interval: 1s
                        timeout: 1s
                        """), "healthchecks/web.yaml:3:10: timeout was 1s but must be less than interval (1s)"),
                Arguments.of("service with no regions", "service", ConfigDir.base().with("meridian.yaml", """
                        vantage: us-east
                        dns: {zone: example.test}
                        services:
                          - name: app.example.test
                            policy: failover
                            regions: []
                        """), "meridian.yaml:6:14: services[0].regions is empty but a service needs at least one region"),
                Arguments.of("service outside the zone", "service", ConfigDir.base().with("meridian.yaml", """
                        vantage: us-east
                        dns: {zone: example.test}
                        services:
                          - {name: app.example.org, policy: failover, regions: [us-east]}
                        """), "meridian.yaml:4:12: services[0].name was 'app.example.org' but must be inside the zone example.test"),
                Arguments.of("unknown policy", "service", ConfigDir.base().with("meridian.yaml", """
                        vantage: us-east
                        dns: {zone: example.test}
                        services:
                          - {name: app.example.test, policy: random, regions: [us-east]}
                        """), "meridian.yaml:4:38: services[0].policy was 'random' but must be one of: failover, weighted, latency"),
                Arguments.of("unknown check type", "check", ConfigDir.base().with("healthchecks/web.yaml", """
                        type: icmp
                        """), "healthchecks/web.yaml:1:7: type was 'icmp' but must be one of: http, https, tcp, dns, tls"),
                Arguments.of("http field on a tcp check", "check", ConfigDir.base().with("healthchecks/web.yaml", """
                        type: tcp
                        path: /healthz
                        """), "healthchecks/web.yaml:2:7: path does not apply to tcp checks (it applies to: http, https)"),
                Arguments.of("duplicate key", "any file", ConfigDir.base().with("healthchecks/web.yaml", """
                        type: http
                        rise: 2
                        rise: 3
                        """), "healthchecks/web.yaml:3:1: duplicate key 'rise' (first set on line 2)"),
                Arguments.of("not YAML", "any file", ConfigDir.base().with("healthchecks/web.yaml", """
                        type: http
                          interval: [
                        """), "healthchecks/web.yaml:2:11: not valid YAML: mapping values are not allowed here"),
                Arguments.of("bad quorum", "health", ConfigDir.base().with("meridian.yaml", """
                        vantage: us-east
                        dns: {zone: example.test}
                        health: {vantages: [us-east, eu-west], quorum: most}
                        services:
                          - {name: app.example.test, policy: failover, regions: [us-east]}
                        """), "meridian.yaml:3:48: health.quorum was 'most' but must be majority, any, all or a number >= 1"),
                Arguments.of("own vantage missing", "health", ConfigDir.base().with("meridian.yaml", """
                        vantage: us-east
                        dns: {zone: example.test}
                        health: {vantages: [eu-west, ap-south]}
                        services:
                          - {name: app.example.test, policy: failover, regions: [us-east]}
                        """), "meridian.yaml:3:20: health.vantages must include this daemon's own vantage 'us-east'"),
                Arguments.of("bad client cidr", "clients", ConfigDir.base().with("meridian.yaml", """
                        vantage: us-east
                        dns: {zone: example.test}
                        clients:
                          - {cidr: 10.1.0.0/33, region: us-east}
                        services:
                          - {name: app.example.test, policy: failover, regions: [us-east]}
                        """), "meridian.yaml:4:12: clients[0].cidr was '10.1.0.0/33' but must be ADDRESS/PREFIX such as 10.1.0.0/16"),
                Arguments.of("client region not a vantage", "clients", ConfigDir.base().with("meridian.yaml", """
                        vantage: us-east
                        dns: {zone: example.test}
                        clients:
                          - {cidr: 10.1.0.0/16, region: mars}
                        services:
                          - {name: app.example.test, policy: failover, regions: [us-east]}
                        """), "meridian.yaml:4:33: clients[0].region was 'mars' but must be one of the vantages (us-east)"),
                Arguments.of("bad failback", "automation", ConfigDir.base().with("meridian.yaml", """
                        vantage: us-east
                        dns: {zone: example.test}
                        automation: {failback: never}
                        services:
                          - {name: app.example.test, policy: failover, regions: [us-east]}
                        """), "meridian.yaml:3:24: automation.failback was 'never' but must be a duration such as 500ms, 2s, 1m, 1h, 1d"),
                Arguments.of("assertion on a failover service", "service", ConfigDir.base().with("meridian.yaml", """
                        vantage: us-east
                        dns: {zone: example.test}
                        services:
                          - {name: app.example.test, policy: failover, regions: [us-east, eu-west], min-regions-in-service: 2}
                        """), "meridian.yaml:4:101: services[0].min-regions-in-service was 2 but a failover service answers from one region at a time"),
                Arguments.of("recheck not shorter than interval", "check", ConfigDir.base().with("healthchecks/web.yaml", """
                        type: http
                        interval: 1s
                        timeout: 500ms
                        recheck: 1s
                        """), "healthchecks/web.yaml:4:10: recheck was 1s but must be shorter than interval (1s)"),
                Arguments.of("missing meridian.yaml", "daemon", ConfigDir.base().without("meridian.yaml"), "meridian.yaml:1:1: file not found"),
                Arguments.of("bad listen address", "daemon", ConfigDir.base().with("meridian.yaml", """
                        vantage: us-east
                        api: {listen: "localhost:8080"}
                        dns: {zone: example.test}
                        services:
                          - {name: app.example.test, policy: failover, regions: [us-east]}
                        """), "meridian.yaml:2:15: api.listen was 'localhost:8080' but must be ADDRESS:PORT with an IP address and a port 0-65535"));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("oneMistakeEach")
    void reportsEachMistakeWithFileLineAndColumn(String mistake, String where, ConfigDir config, String expected) {
        assertThat(problems(config)).as(mistake).singleElement().asString().startsWith(expected);
    }

    @Test
    void reportsEveryProblemOfEveryFileInOnePass() {
        List<String> problems = problems(ConfigDir.base()
                .with("meridian.yaml", """
                        vantage: us-east
                        dns: {zone: example.test}
                        services:
                          - {name: app.example.test, policy: failover, ttl: 5x, regions: [us-east, mars]}
                        """)
                .with("regions/eu-west.yaml", """
                        name: eu-west
                        priority: 0
                        endpoints:
                          - {address: 127.0.2.1, port: 0, check: nope}
                        """)
                .with("healthchecks/web.yaml", """
                        type: http
                        interval: 1s
                        timeout: 2s
                        fall: many
                        """));
        assertThat(problems).containsExactly(
                "healthchecks/web.yaml:3:10: timeout was 2s but must be less than interval (1s)",
                "healthchecks/web.yaml:4:7: fall was 'many' but must be an integer 1-100",
                "meridian.yaml:4:53: services[0].ttl was '5x' but must be a duration such as 500ms, 2s, 1m, 1h, 1d",
                "meridian.yaml:4:76: services[0].regions names 'mars' but no region has that name (known: eu-west, us-east)",
                "regions/eu-west.yaml:2:11: priority was '0' but must be an integer 1-1000",
                "regions/eu-west.yaml:4:32: endpoints[0].port was '0' but must be an integer 1-65535",
                "regions/eu-west.yaml:4:42: endpoints[0].check was 'nope' but no health check has that name (known: web)");
    }

    @Test
    void readsARoute53ProviderAndReportsEachBadField() throws Exception {
        MeridianConfig c = ConfigLoader.load(ConfigDir.base().with("meridian.yaml", """
                vantage: us-east
                dns:
                  zone: example.test
                  route53: {hosted-zone-id: Z0123ABC, endpoint: "http://127.0.0.1:4566", records: failover, mode: observe}
                services:
                  - {name: app.example.test, policy: failover, regions: [us-east]}
                """).writeTo(dir));
        Route53Config r = c.dns().route53().orElseThrow();
        assertThat(r.hostedZoneId()).isEqualTo("Z0123ABC");
        assertThat(r.endpoint()).contains(java.net.URI.create("http://127.0.0.1:4566"));
        assertThat(r.style()).isEqualTo(Route53Config.Style.FAILOVER);
        assertThat(r.repair()).isFalse();
        assertThat(r.requestsPerSecond()).isEqualTo(5);
        assertThat(r.syncPoll()).isEqualTo(Duration.ofSeconds(2));

        assertThat(problems(ConfigDir.base().with("meridian.yaml", """
                vantage: us-east
                dns:
                  zone: example.test
                  route53: {hosted-zone-id: "/hostedzone/z1", endpoint: "ftp://x", records: latency, requests-per-second: 20, region: eu}
                services:
                  - {name: app.example.test, policy: failover, regions: [us-east]}
                """))).containsExactly(
                "meridian.yaml:4:29: dns.route53.hosted-zone-id was '/hostedzone/z1' but must be a hosted zone id like Z0123456789ABC",
                "meridian.yaml:4:57: dns.route53.endpoint was 'ftp://x' but must be an http(s) URL",
                "meridian.yaml:4:77: dns.route53.records was 'latency' but must be weighted or failover",
                "meridian.yaml:4:107: dns.route53.requests-per-second was '20' but must be an integer 1-5",
                "meridian.yaml:4:111: unknown key 'dns.route53.region' (expected one of: endpoint, hosted-zone-id, mode, owner-prefix, reconcile, records, requests-per-second, signing-region, sync-poll, sync-timeout)");
    }

    private static final String DB_DAEMON = """
            vantage: us-east
            dns: {zone: example.test}
            services:
              - {name: app.example.test, policy: failover, regions: [us-east]}
            databases:
              - {name: orders, kind: postgres, write-name: db.example.test, rpo-bytes: 1048576, rpo-lag: 5s, automatic: true,
                 candidates: [us-east, eu-west], cross-region: true, fence-command: [/usr/local/bin/stonith, "{host}"]}
            """;

    @Test
    void readsDatabaseClustersAndTheirMembersWithSecretsFromFilesOrEnvironment() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("secrets"));
        java.nio.file.Files.writeString(dir.resolve("secrets/pg.pass"), "s3cret\n");
        MeridianConfig c = ConfigLoader.load(ConfigDir.base().with("meridian.yaml", DB_DAEMON)
                .with("regions/us-east.yaml", """
                        name: us-east
                        priority: 1
                        endpoints: [{address: 127.0.1.1, port: 8081, check: web}]
                        databases:
                          - {cluster: orders, host: 127.0.1.10, port: 5432, user: meridian, password-file: secrets/pg.pass}
                        """)
                .with("regions/eu-west.yaml", """
                        name: eu-west
                        priority: 2
                        endpoints: [{address: 127.0.2.1, port: 8081, check: web}]
                        databases:
                          - {cluster: orders, host: 127.0.2.10, port: 5432, user: meridian, password-env: PATH}
                        """).writeTo(dir));
        DatabaseClusterConfig orders = c.database("orders").orElseThrow();
        assertThat(orders.kind()).isEqualTo(DatabaseKind.POSTGRES);
        assertThat(orders.rpoBytes()).isEqualTo(1048576);
        assertThat(orders.fenceCommand()).containsExactly("/usr/local/bin/stonith", "{host}");
        assertThat(c.members("orders")).extracting(DatabaseMember::id).containsExactlyInAnyOrder(
                "orders/us-east/127.0.1.10:5432", "orders/eu-west/127.0.2.10:5432");
        DatabaseMember first = c.members("orders").stream().filter(m -> m.region().equals("us-east")).findFirst().orElseThrow();
        assertThat(first.password().value()).isEqualTo("s3cret");
        assertThat(first.toString()).doesNotContain("s3cret").contains("(secret from file secrets/pg.pass)");
    }

    @Test
    void reportsEachDatabaseMistakeWhereItIs() {
        assertThat(problems(ConfigDir.base().with("meridian.yaml", """
                vantage: us-east
                dns: {zone: example.test}
                services:
                  - {name: app.example.test, policy: failover, regions: [us-east]}
                databases:
                  - {name: orders, kind: mysql, write-name: db.elsewhere.test, rpo-bytes: 1, rpo-lag: 1s, candidates: [mars]}
                  - {name: cache, kind: redis, write-name: cache.example.test, rpo-bytes: 1, rpo-lag: 1s, candidates: [eu-west], cross-region: false}
                """).with("regions/us-east.yaml", """
                name: us-east
                priority: 1
                endpoints: [{address: 127.0.1.1, port: 8081, check: web}]
                databases:
                  - {cluster: ordrs, host: 127.0.1.10, port: 5432, password-env: MERIDIAN_NO_SUCH_VARIABLE}
                  - {cluster: cache, host: 127.0.1.11, port: 6379}
                """))).containsExactly(
                "meridian.yaml:6:5: missing required field 'databases[0].cross-region' (say explicitly whether the primary may move to another region)",
                "meridian.yaml:6:26: databases[0].kind was 'mysql' but must be postgres or redis",
                "meridian.yaml:6:45: databases[0].write-name was 'db.elsewhere.test' but must be inside the zone example.test",
                "meridian.yaml:6:104: databases[0].candidates names 'mars' but must name distinct regions (known: eu-west, us-east)",
                "meridian.yaml:7:103: databases[1].candidates names 'eu-west' but that region has no member of cache (members in: us-east)",
                "regions/us-east.yaml:5:15: databases[0].cluster was 'ordrs' but no database cluster has that name in meridian.yaml (known: cache, orders)",
                "regions/us-east.yaml:5:66: databases[0].password-env names 'MERIDIAN_NO_SUCH_VARIABLE' but that environment variable is not set");
    }

    @Test
    void theExceptionMessageListsEveryProblem() {
        assertThatThrownBy(() -> ConfigLoader.load(ConfigDir.base().without("regions/us-east.yaml")
                .without("regions/eu-west.yaml").writeTo(dir)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("regions/:1:1: no *.yaml file found");
    }

    @Test
    void sizesTakeUnitsAndOneBadFieldOfAClusterDoesNotMakeItsMembersStrangers() {
        String region = """
                name: us-east
                priority: 1
                endpoints: [{address: 127.0.1.1, port: 8081, check: web}]
                databases:
                  - {cluster: orders, host: 127.0.1.10, port: 5432}
                """;
        String daemon = """
                vantage: us-east
                dns: {zone: example.test}
                services:
                  - {name: app.example.test, policy: failover, regions: [us-east]}
                databases:
                  - {name: orders, kind: postgres, write-name: db.example.test, rpo-bytes: %s, rpo-lag: 1s, candidates: [us-east], cross-region: false}
                """;
        assertThat(problems(ConfigDir.base().with("meridian.yaml", daemon.formatted("1.5MB")).with("regions/us-east.yaml", region)))
                .containsExactly("meridian.yaml:6:76: databases[0].rpo-bytes was '1.5MB' but must be a size 0-1099511627776 bytes, such as 65536, 64KiB or 1MB");
        for (var size : java.util.Map.of("1MB", 1_000_000L, "1MiB", 1_048_576L, "64KiB", 65_536L, "65536", 65_536L, "0", 0L).entrySet()) {
            MeridianConfig c = assertDoesNotThrow(() -> ConfigLoader.load(ConfigDir.base().with("meridian.yaml", daemon.formatted(size.getKey()))
                    .with("regions/us-east.yaml", region).writeTo(dir)));
            assertThat(c.database("orders").orElseThrow().rpoBytes()).as(size.getKey()).isEqualTo(size.getValue());
        }
    }

    @Test
    void nameserversInsideTheZoneMayHaveGlueAndNoServiceMayTakeTheirName() throws Exception {
        MeridianConfig c = ConfigLoader.load(ConfigDir.base().with("meridian.yaml", """
                vantage: us-east
                dns:
                  zone: example.test
                  nameservers: [{name: ns1.example.test, addresses: [192.0.2.53, "2001:db8::53"]}, ns.elsewhere.test]
                services:
                  - {name: app.example.test, policy: failover, regions: [us-east]}
                """).writeTo(dir));
        assertThat(c.dns().nameservers()).containsExactly("ns1.example.test", "ns.elsewhere.test");
        assertThat(c.dns().glue()).containsEntry("ns1.example.test", List.of("192.0.2.53", "2001:db8::53")).hasSize(1);
        assertThat(problems(ConfigDir.base().with("meridian.yaml", """
                vantage: us-east
                dns:
                  zone: example.test
                  nameservers: [{name: ns.elsewhere.test, addresses: [192.0.2.53]}, {name: ns1.example.test, addresses: [192.0.2.53, x::1]}, [a]]
                services:
                  - {name: ns1.example.test, policy: failover, regions: [us-east]}
                """))).containsExactly(
                "meridian.yaml:4:24: dns.nameservers[0].name was 'ns.elsewhere.test' but must be a domain name inside the zone (only its own nameservers get glue)",
                "meridian.yaml:4:118: dns.nameservers[1].addresses entry 'x::1' must be an IPv4 or IPv6 address",
                "meridian.yaml:4:126: dns.nameservers entry a list must be a domain name or {name: NAME, addresses: [ADDRESS, ...]}",
                "meridian.yaml:6:12: services[0].name 'ns1.example.test' is also a nameserver of the zone (dns.nameservers)");
    }

    @Test
    void udpThreadsDefaultToHalfTheCoresAndTakeAPositiveCount() throws Exception {
        MeridianConfig c = ConfigLoader.load(ConfigDir.base().writeTo(dir));
        assertThat(c.dns().udpThreads(1)).isEqualTo(1);
        assertThat(c.dns().udpThreads(2)).isEqualTo(1);
        assertThat(c.dns().udpThreads(16)).isEqualTo(8);
        String withThreads = """
                vantage: us-east
                dns:
                  zone: example.test
                  udp-threads: %s
                services:
                  - {name: app.example.test, policy: failover, regions: [us-east]}
                """;
        MeridianConfig three = ConfigLoader.load(ConfigDir.base().with("meridian.yaml", withThreads.formatted("3")).writeTo(dir));
        assertThat(three.dns().udpThreads(16)).isEqualTo(3);
        assertThat(problems(ConfigDir.base().with("meridian.yaml", withThreads.formatted("0"))))
                .singleElement().asString().startsWith("meridian.yaml:4:16: dns.udp-threads was '0'");
    }
}
