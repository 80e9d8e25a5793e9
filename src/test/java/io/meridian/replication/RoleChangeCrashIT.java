package io.meridian.replication;

import io.meridian.coord.local.StateFiles;
import io.meridian.plan.RoleChange;
import io.meridian.testing.RunningDaemon;
import io.meridian.testing.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A crash at every boundary of every step of a role change — journaled started, ran but not journaled
 * done, journaled done — for an operator's failover, an automatic failover of a killed primary and a
 * planned switchover, on real PostgreSQL and Redis pairs. The daemon is stopped in-process at the
 * boundary (the step gate never lets it go on; everything journaled was fsync'ed), started again, and
 * each time: one promotion, one writable primary at the end with the write name on it, every write a
 * continuous writer had acknowledged present on it, and never two writable primaries at any moment
 * the sampler looked (both members, every 25 ms, over the whole run).
 */
class RoleChangeCrashIT {

    static final String WRITE_NAME = "db.example.test";

    enum Scenario {
        OPERATOR_FAILOVER, AUTOMATIC_FAILOVER, SWITCHOVER;

        List<RoleChange.Step> steps() {
            return this == SWITCHOVER ? RoleChange.switchover("x", "c", "a", "b", "t", "r").steps()
                    : RoleChange.failover("x", "c", Optional.of("a"), "b", false, "t", "r").steps();
        }

        String done() {
            return (this == SWITCHOVER ? "SWITCHOVER" : "FAILOVER") + " done";
        }
    }

    /** {@code -Dcrash.only=REGEX} runs only the cases whose name matches, e.g. {@code 'redis OPERATOR.*PROMOTE DONE'}. */
    static Stream<Arguments> crashPoints() {
        java.util.regex.Pattern only = java.util.regex.Pattern.compile(System.getProperty("crash.only", ".*"));
        List<Arguments> all = new ArrayList<>();
        for (String kind : List.of("postgres", "redis")) {
            for (Scenario scenario : Scenario.values()) {
                for (RoleChange.Step step : scenario.steps()) {
                    for (StepGate.Boundary boundary : boundaries(step)) {
                        if (only.matcher(kind + " " + scenario + " " + step + " " + boundary).find()) {
                            all.add(Arguments.of(kind, scenario, step, boundary));
                        }
                    }
                }
            }
        }
        return all.stream();
    }

    /**
     * Started and done of every step; and, for the steps that change a database (fence, block, promote),
     * also after the change happened but before it was journaled.
     */
    static List<StepGate.Boundary> boundaries(RoleChange.Step step) {
        boolean actsOnADatabase = step == RoleChange.Step.FENCE_OLD_PRIMARY || step == RoleChange.Step.BLOCK_WRITES
                || step == RoleChange.Step.PROMOTE;
        return actsOnADatabase ? List.of(StepGate.Boundary.values()) : List.of(StepGate.Boundary.STARTED, StepGate.Boundary.DONE);
    }

    @TempDir
    Path config;

    @ParameterizedTest(name = "{0} {1}: crash at {2} {3}")
    @MethodSource("crashPoints")
    @Execution(ExecutionMode.CONCURRENT) // the cases, three at a time (junit-platform.properties); no other class meanwhile

    void aCrashAtAnyStepEndsWithOneWritablePrimaryAndNoAcknowledgedWriteLost(String kind, Scenario scenario, RoleChange.Step step,
                                                                              StepGate.Boundary boundary) throws Exception {
        try (CrashPair pair = kind.equals("postgres") ? CrashPair.postgres() : CrashPair.redis()) {
            configure(pair);
            CountDownLatch crashed = new CountDownLatch(1);
            StepGate crashHere = (change, s, b) -> {
                if (s == step && b == boundary) {
                    crashed.countDown();
                    return Promise.<Void>promise().future(); // never: the daemon "dies" here
                }
                return Future.succeededFuture();
            };
            AtomicReference<RunningDaemon> daemon = new AtomicReference<>(RunningDaemon.start(config, crashHere));
            AtomicBoolean running = new AtomicBoolean(true);
            Writer writer = new Writer(pair, daemon, running);
            ConcurrentLinkedQueue<String> bothWritable = new ConcurrentLinkedQueue<>();
            Thread sampler = new Thread(() -> {
                while (running.get()) {
                    boolean a = pair.writable(pair.primaryHost());
                    boolean b = pair.writable(pair.standbyHost());
                    if (a && b) {
                        bothWritable.add(System.nanoTime() / 1_000_000 + " ms");
                    }
                    sleep(25);
                }
            }, "sampler");
            try {
                await().atMost(Duration.ofSeconds(15)).until(() -> daemon.get().answer(WRITE_NAME, false).equals(List.of(pair.primaryHost())));
                await().atMost(Duration.ofSeconds(15)).until(() -> lag(daemon.get(), pair.standbyHost()) == 0);
                writer.start();
                sampler.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> writer.acked() > 5);
                String to = memberId(daemon.get(), pair.standbyHost());
                switch (scenario) {
                    case OPERATOR_FAILOVER -> request(daemon.get(), "failover", to);
                    case SWITCHOVER -> request(daemon.get(), "switchover", to);
                    case AUTOMATIC_FAILOVER -> {
                        // A dead primary takes with it what it had not shipped yet (asynchronous replication: the RPO
                        // bounds it); so that every acknowledged write must survive, none is in flight when it dies.
                        writer.pause(true);
                        await().atMost(Duration.ofSeconds(10)).until(() -> lag(daemon.get(), pair.standbyHost()) == 0);
                        pair.killPrimary();
                        writer.pause(false);
                    }
                }
                assertThat(crashed.await(30, TimeUnit.SECONDS)).as("reached " + step + " " + boundary).isTrue();
                daemon.get().close();
                daemon.set(RunningDaemon.start(config));
                await().atMost(Duration.ofSeconds(30)).until(() -> journal().contains(scenario.done()));
                await().atMost(Duration.ofSeconds(10)).until(() -> daemon.get().answer(WRITE_NAME, false).equals(List.of(pair.standbyHost())));
                int afterChange = writer.acked();
                await().atMost(Duration.ofSeconds(10)).until(() -> writer.acked() > afterChange + 5);
                Thread.sleep(400); // a stray fence of the new primary would come within a round or two
                assertThat(daemon.get().answer(WRITE_NAME, false)).containsExactly(pair.standbyHost());
            } finally {
                running.set(false);
                writer.join(10_000);
                sampler.join(10_000);
                daemon.get().close();
            }
            String j = journal();
            assertThat(bothWritable).as("moments when both members took writes").isEmpty();
            assertThat(pair.writable(pair.standbyHost())).as("the new primary takes writes").isTrue();
            assertThat(pair.writable(pair.primaryHost())).as("the old primary takes none").isFalse();
            assertThat(count(j, "\"step\":\"PROMOTE\",\"phase\":\"done\"")).as("promoted exactly once").isEqualTo(1);
            assertThat(count(j, "\"phase\":\"started\",\"type\"")).as("one role change, not a second one").isEqualTo(1);
            assertThat(j).doesNotContain(pair.standbyHost() + ":" + pair.standbyPort() + " claims to be a primary");
            List<Integer> missing = pair.missing(writer.ackedIds());
            assertThat(missing).as("acknowledged writes (of %d) missing from the new primary", writer.acked()).isEmpty();
        }
    }

    /**
     * An operator's request, sent again while it is refused (409): under the load of several drills at once
     * a round can see a member late, and the daemon rightly refuses until it has seen it again.
     */
    private static void request(RunningDaemon d, String what, String to) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            var res = d.call("POST", "/v1/databases/orders/" + what, TestTokens.OPERATOR,
                    new JsonObject().put("reason", "crash drill").put("to", to).encode());
            assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
        });
    }

    private void configure(CrashPair pair) throws Exception {
        // Three drills share two cores with six database servers: an operation may take longer than a second, and
        // a fence that times out rightly aborts the change, which is not what these cases are about.
        DatabaseFailoverIT.configure(config, pair.kind(), "3s", "rpo-bytes: 1MiB\nrpo-lag: 5s\ncatch-up-timeout: 10s", java.util.Map.of(
                "us-east", List.of(pair.primaryHost() + ":" + pair.primaryPort()), "eu-west", List.of(pair.standbyHost() + ":" + pair.standbyPort())));
    }

    private String journal() throws Exception {
        return Files.readString(config.resolve(StateFiles.JOURNAL));
    }

    private static JsonObject member(RunningDaemon d, String host) throws Exception {
        return d.json("GET", "/v1/databases", TestTokens.VIEWER, null).getJsonArray("databases").getJsonObject(0).getJsonArray("members")
                .stream().map(JsonObject.class::cast).filter(m -> m.getString("id").contains("/" + host + ":")).findFirst().orElseThrow();
    }

    private static String memberId(RunningDaemon d, String host) throws Exception {
        return member(d, host).getString("id");
    }

    private static long lag(RunningDaemon d, String host) throws Exception {
        return member(d, host).getLong("lag_bytes", -1L);
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes 1, 2, 3, … through the write name every 50 ms, resolving it from the daemon each time; keeps what was acknowledged. */
    private static final class Writer extends Thread {

        private final CrashPair pair;
        private final AtomicReference<RunningDaemon> daemon;
        private final AtomicBoolean running;
        private final AtomicBoolean paused = new AtomicBoolean();
        private final ConcurrentLinkedQueue<Integer> acked = new ConcurrentLinkedQueue<>();

        Writer(CrashPair pair, AtomicReference<RunningDaemon> daemon, AtomicBoolean running) {
            super("writer");
            this.pair = pair;
            this.daemon = daemon;
            this.running = running;
        }

        @Override
        public void run() {
            int next = 1;
            while (running.get()) {
                if (!paused.get()) {
                    try {
                        List<String> a = daemon.get().answer(WRITE_NAME, false);
                        if (!a.isEmpty() && pair.write(a.get(0), next)) {
                            acked.add(next);
                        }
                    } catch (Exception noAnswer) {
                        // the daemon is down or the name withdrawn: a real client retries too
                    }
                    next++;
                }
                RoleChangeCrashIT.sleep(50);
            }
        }

        /** Stops writing after the write in flight (and waits for it). */
        void pause(boolean p) {
            paused.set(p);
            if (p) {
                RoleChangeCrashIT.sleep(300);
            }
        }

        int acked() {
            return acked.size();
        }

        List<Integer> ackedIds() {
            return List.copyOf(acked);
        }
    }
}
