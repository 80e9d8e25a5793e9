package io.meridian.cli;

import io.meridian.testing.RunningDaemon;
import io.meridian.testing.TestTokens;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The CLI against a running daemon: tables, JSON, dry runs, confirmation, exit codes. */
class CliIT {

    @TempDir
    static Path dir;

    private static RunningDaemon d;
    private String out;
    private String err;

    @BeforeAll
    static void start() throws Exception {
        d = RunningDaemon.start(dir);
        await().atMost(Duration.ofSeconds(10)).until(() -> d.answer("app.example.test", false).size() == 2
                && d.answer("app.example.test", false).get(0).startsWith("127.0.1."));
        await().atMost(Duration.ofSeconds(10)).until(() -> d.engineRegionUp("eu-west") && d.engineRegionUp("us-east"));
    }

    @AfterAll
    static void stop() throws Exception {
        d.close();
    }

    private int meridian(String token, String stdin, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--api=" + d.apiUrl());
        if (token != null) {
            all.add("--token=" + token);
        }
        InputStream in = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes()));
        try {
            return cl.execute(all.toArray(String[]::new));
        } finally {
            System.setIn(in);
            out = o.toString();
            err = e.toString();
        }
    }

    @Test
    void statusPrintsTablesAndJson() {
        assertThat(meridian(TestTokens.VIEWER, "", "status")).isZero();
        assertThat(out).contains("SERVICE", "app.example.test", "failover", "us-east", "REGION");
        assertThat(meridian(TestTokens.VIEWER, "", "status", "-o", "json")).isZero();
        assertThat(new JsonObject(out).getJsonObject("services").containsKey("app.example.test")).isTrue();
    }

    @Test
    void reloadPrintsWhatChangedOrEveryProblemAndExitsLikeValidate() throws Exception {
        assertThat(meridian(TestTokens.OPERATOR, "", "reload")).as("an operator may not").isEqualTo(3);
        assertThat(err).contains("needs admin");
        assertThat(meridian(TestTokens.ADMIN, "", "reload")).isZero();
        assertThat(out).contains("reloaded: the configuration is unchanged");
        Path check = dir.resolve("healthchecks/web.yaml");
        String good = java.nio.file.Files.readString(check);
        try {
            java.nio.file.Files.writeString(check, good.replace("interval: 200ms", "interval: soon"));
            assertThat(meridian(TestTokens.ADMIN, "", "reload")).isEqualTo(2);
            assertThat(err).contains("healthchecks/web.yaml:4:").contains("interval").contains("nothing changed, the running configuration stays");
        } finally {
            java.nio.file.Files.writeString(check, good);
        }
        assertThat(meridian(TestTokens.ADMIN, "", "reload", "-o", "json")).isZero();
        assertThat(new JsonObject(out).getString("outcome")).isEqualTo("applied");
    }

    @Test
    void planAndHistoryRead() {
        assertThat(meridian(TestTokens.VIEWER, "", "plan")).isZero();
        assertThat(out).contains("app.example.test: us-east");
        assertThat(meridian(TestTokens.VIEWER, "", "history", "--limit", "5")).isZero();
        assertThat(out.lines().count()).isBetween(1L, 5L);
    }

    @Test
    void aDryRunShowsThePlanAndChangesNothing() throws Exception {
        assertThat(meridian(TestTokens.OPERATOR, "", "drain", "us-east", "--reason", "maintenance", "--dry-run")).isZero();
        assertThat(out).startsWith("dry run: drained us-east").contains("DRAIN app.example.test -> eu-west");
        assertThat(d.answer("app.example.test", false)).allSatisfy(a -> assertThat(a).startsWith("127.0.1."));
    }

    @Test
    void aChangeAsksForConfirmationUnlessYes() throws Exception {
        assertThat(meridian(TestTokens.OPERATOR, "", "pause", "--reason", "look first")).isEqualTo(2);
        assertThat(err).contains("not applied");
        assertThat(meridian(TestTokens.OPERATOR, "n\n", "pause", "--reason", "look first")).isEqualTo(2);
        assertThat(meridian(TestTokens.OPERATOR, "y\n", "pause", "--service", "app.example.test", "--reason", "look first")).isZero();
        assertThat(out).contains("Apply? [y/N]", "done: automation paused for app.example.test");
        assertThat(meridian(TestTokens.OPERATOR, "", "resume", "--service", "app.example.test", "--reason", "seen", "--yes")).isZero();
    }

    @Test
    void exitCodesSayWhatWentWrong() {
        assertThat(meridian(TestTokens.OPERATOR, "", "failover", "app.example.test", "--to", "mars", "--reason", "x", "--yes"))
                .as("unknown region").isEqualTo(2);
        assertThat(meridian(TestTokens.OPERATOR, "", "drain", "us-east")).as("missing --reason").isEqualTo(2);
        assertThat(meridian("wrong", "", "status")).as("bad token").isEqualTo(3);
        assertThat(meridian(TestTokens.VIEWER, "", "drain", "us-east", "--reason", "x", "--yes")).as("viewer changes").isEqualTo(3);
        assertThat(meridian(TestTokens.OPERATOR, "", "drain", "us-east", "--reason", "x", "--force", "--dry-run")).as("force needs admin").isEqualTo(3);
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(new StringWriter()));
        assertThat(cl.execute("status", "--api=http://127.0.0.1:1")).as("unreachable").isEqualTo(3);
    }

    @Test
    void aRefusalBySafetyRulesExitsOne() {
        // Draining both regions of a failover service would leave it nothing to fail over to.
        assertThat(meridian(TestTokens.OPERATOR, "", "drain", "eu-west", "--service", "app.example.test", "--reason", "a", "--yes")).isZero();
        try {
            assertThat(meridian(TestTokens.OPERATOR, "", "drain", "us-east", "--service", "app.example.test", "--reason", "b", "--yes"))
                    .isEqualTo(1);
            assertThat(err).startsWith("refused: drain of us-east refused");
        } finally {
            meridian(TestTokens.OPERATOR, "", "undrain", "eu-west", "--service", "app.example.test", "--reason", "done", "--yes");
        }
    }
}
