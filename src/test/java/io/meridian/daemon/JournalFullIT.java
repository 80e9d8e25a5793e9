package io.meridian.daemon;

import io.meridian.testing.RunningDaemon;
import io.meridian.testing.TestTokens;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The journal on a small tmpfs filled to the brim: operator changes are refused with 503 and change
 * nothing, DNS keeps answering, the metric says so, and every change that was acknowledged is in the
 * journal afterwards. Needs root to mount (the test machines run as root).
 */
class JournalFullIT {

    @TempDir
    Path dir;

    private Path mount;
    private RunningDaemon d;

    @AfterEach
    void stop() throws Exception {
        if (d != null) {
            d.close();
        }
        if (mount != null) {
            new ProcessBuilder("umount", mount.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static boolean run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private HttpResponse<String> pause(int i) throws Exception {
        return d.call("POST", "/v1/pause", TestTokens.OPERATOR, "{\"reason\": \"pause " + i + "\", \"service\": \"app.example.test\"}");
    }

    @Test
    void aFullDiskRefusesChangesLosesNothingAcknowledgedAndDnsGoesOn() throws Exception {
        mount = Files.createDirectories(dir.resolve("state"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount.toString()), "mounting a tmpfs needs root");
        RunningDaemon.writeConfig(dir);
        Path yaml = dir.resolve("meridian.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("  tokens: tokens.yaml", "  tokens: tokens.yaml\n  state-dir: " + mount));
        d = RunningDaemon.start(dir);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> !d.answer("app.example.test", false).isEmpty());

        // Fill the file system but for some KiB: a few changes still fit, then none does.
        try (RandomAccessFile filler = new RandomAccessFile(mount.resolve("filler").toFile(), "rw")) {
            byte[] block = new byte[4096];
            try {
                while (mount.toFile().getUsableSpace() > 40 * 1024) {
                    filler.write(block);
                }
            } catch (IOException full) {
                // full already
            }
        }
        List<String> acknowledged = new ArrayList<>();
        HttpResponse<String> refused = null;
        for (int i = 0; i < 200 && refused == null; i++) {
            HttpResponse<String> r = pause(i);
            if (r.statusCode() == 200) {
                acknowledged.add("pause " + i);
                d.call("POST", "/v1/resume", TestTokens.OPERATOR, "{\"reason\": \"resume " + i + "\", \"service\": \"app.example.test\"}");
            } else {
                refused = r;
            }
        }
        assertThat(acknowledged).as("changes taken while there was room").isNotEmpty();
        assertThat(refused).as("a change was refused once the disk was full").isNotNull();
        assertThat(refused.statusCode()).isEqualTo(503);
        JsonObject error = new JsonObject(refused.body()).getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("state_unwritable");
        assertThat(error.getString("message")).startsWith("nothing changed: the ").contains(mount.toString(), "cannot be written");
        JsonObject overrides = d.json("GET", "/v1/overrides", TestTokens.VIEWER, null);
        assertThat(overrides.encode()).as("the refused pause is not in effect").doesNotContain("pause " + (acknowledged.size()));
        assertThat(d.call("GET", "/metrics", TestTokens.VIEWER, null).body()).contains("meridian_state_writable 0.0");
        assertThat(d.answer("app.example.test", false)).as("DNS keeps answering").isNotEmpty();

        String journal = Files.readString(mount.resolve("meridian-journal.jsonl"));
        for (String reason : acknowledged) {
            assertThat(journal).as("acknowledged: " + reason).contains("\"reason\":\"" + reason + "\"");
        }
        assertThat(journal.lines().filter(l -> !l.isBlank())).allSatisfy(l -> new JsonObject(l)); // no half line
    }
}
