package io.meridian.daemon;

import io.meridian.replication.StepGate;
import io.meridian.testing.ConfigDir;
import io.meridian.testing.RunningDaemon;
import io.meridian.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cold start against real backends whose preferred region answers its first checks later than the
 * other region does (a slower check interval and slower responses): DNS, polled from the first moment,
 * must never answer the other region. With the start-up wait set to zero the same start does, which
 * shows the poll would catch it. (The wait is set, not left to its default of two checks' interval ×
 * rise, so that a loaded machine's slow first probes cannot outlast it.)
 */
class ColdStartIT {

    private static final String APP = "app.example.test";
    private static final List<String> US = List.of("127.0.1.1", "127.0.1.2");
    private static final List<String> EU = List.of("127.0.2.1", "127.0.2.2");

    @TempDir
    Path dir;

    private final Vertx backends = Vertx.vertx();
    private RunningDaemon d;

    @AfterEach
    void stop() throws Exception {
        if (d != null) {
            d.close();
        }
        backends.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** An HTTP backend on {@code address} answering "hello" after {@code delayMs}. */
    private int backend(String address, long delayMs) throws Exception {
        HttpServer s = backends.createHttpServer().requestHandler(req -> backends.setTimer(Math.max(1, delayMs),
                id -> req.response().end("hello")));
        return s.listen(0, address).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    /** The addresses answered, sorted; or the rcode when it is not NOERROR. */
    private List<String> answer() throws Exception {
        SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
        r.setPort(d.daemon.dnsPort());
        r.setTimeout(Duration.ofSeconds(2));
        Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString(APP + "."), Type.A, DClass.IN)));
        if (m.getRcode() != Rcode.NOERROR) {
            return List.of(Rcode.string(m.getRcode()));
        }
        return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).sorted().toList();
    }

    @ParameterizedTest(name = "startup-wait {0}")
    @ValueSource(strings = {"4s", "0s"})
    void dnsNeverAnswersTheOtherRegionWhileThePreferredOneIsUnknown(String wait) throws Exception {
        String region = RunningDaemon.REGION.replace("check: web", "check: %s");
        ConfigDir.base()
                .with("meridian.yaml", """
                        vantage: us-east
                        api: {listen: 127.0.0.1:0, tokens: tokens.yaml}
                        dns: {zone: example.test, listen: 127.0.0.1:0}
                        services:
                          - {name: app.example.test, policy: failover, ttl: 5s, regions: [us-east, eu-west]}
                        health: {min-hold: 0s, startup-wait: %s}
                        automation: {failback: 0s, cooldown: 0s}
                        """.formatted(wait))
                .with("regions/us-east.yaml", region.formatted("us-east", 1, US.get(0), backend(US.get(0), 80), "slow",
                        US.get(1), backend(US.get(1), 80), "slow"))
                .with("regions/eu-west.yaml", region.formatted("eu-west", 2, EU.get(0), backend(EU.get(0), 0), "fast",
                        EU.get(1), backend(EU.get(1), 0), "fast"))
                .with("healthchecks/slow.yaml", "type: http\npath: /healthz\nbody-contains: hello\ninterval: 400ms\ntimeout: 300ms\nrise: 2\n")
                .with("healthchecks/fast.yaml", "type: http\npath: /healthz\nbody-contains: hello\ninterval: 100ms\ntimeout: 80ms\nrise: 2\n")
                .without("healthchecks/web.yaml")
                .writeTo(dir);
        d = RunningDaemon.inProcess(dir, StepGate.OPEN);

        Set<List<String>> seen = new LinkedHashSet<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < until && seen.size() < 10) {
            seen.add(answer());
            if (seen.contains(US) && seen.size() > 1 && !wait.equals("0s")) {
                break; // settled on us-east; nothing else can come before it fails
            }
            Thread.sleep(5);
        }
        List<String> failOpen = new ArrayList<>(US);
        failOpen.addAll(EU);
        seen.remove(List.of("SERVFAIL")); // before the first answers are loaded (never NXDOMAIN, which resolvers cache)
        if (wait.equals("0s")) {
            assertThat(seen).as("without the wait, the faster region is answered first").contains(EU);
            return;
        }
        assertThat(seen).as("answers seen from the start, in order").containsExactly(failOpen, US);

        List<String> transitions = new ArrayList<>();
        for (Object o : d.json("GET", "/v1/events?service=" + APP, TestTokens.VIEWER, null).getJsonArray("events")) {
            JsonObject e = (JsonObject) o;
            if (List.of("PUBLISH", "FAIL_OPEN", "FAILOVER", "FAILBACK").contains(e.getString("kind"))) {
                transitions.add(e.getString("kind") + " " + e.getString("reason", e.getString("message", "")));
            }
        }
        assertThat(transitions).as("one transition after the fail-open start").hasSize(2);
        assertThat(transitions.get(0)).as("newest first").startsWith("PUBLISH").contains("us-east is the first region in priority order");
        assertThat(transitions.get(1)).startsWith("FAIL_OPEN").contains("start-up: serving every endpoint");
    }
}
