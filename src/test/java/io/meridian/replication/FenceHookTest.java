package io.meridian.replication;

import io.meridian.config.DatabaseMember;
import io.meridian.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fencing command: placeholders replaced, exit 0 fences, anything else (or too slow) does not. */
class FenceHookTest {

    private static Vertx vertx;
    private static final DatabaseMember OLD = new DatabaseMember("orders", "us-east", "127.0.1.10", 5432, "", Secret.NONE, "postgres");

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String run(List<String> command, Duration timeout) throws Exception {
        Future<String> f = new FenceHook(vertx).run(command, OLD, timeout);
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void replacesPlaceholdersAndSucceedsOnExitZero() throws Exception {
        assertThat(run(List.of("/bin/echo", "off", "{host}:{port}", "{region}", "{member}"), Duration.ofSeconds(5)))
                .contains("off 127.0.1.10:5432 us-east orders/us-east/127.0.1.10:5432");
    }

    @Test
    void aFailingOrHangingCommandDoesNotFence() {
        assertThatThrownBy(() -> run(List.of("/bin/sh", "-c", "echo no power switch; exit 3"), Duration.ofSeconds(5)))
                .hasMessageContaining("exited 3: no power switch");
        assertThatThrownBy(() -> run(List.of("/bin/sleep", "5"), Duration.ofMillis(200)))
                .hasMessageContaining("did not finish within 200 ms");
        assertThatThrownBy(() -> run(List.of("/no/such/stonith"), Duration.ofSeconds(1))).hasMessageContaining("/no/such/stonith");
    }
}
