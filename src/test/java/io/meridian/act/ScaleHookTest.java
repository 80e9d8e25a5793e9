package io.meridian.act;

import io.meridian.config.ScaleHookConfig;
import io.meridian.plan.ScaleRequests;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A scale hook given as a command: its placeholders replaced, exit 0 taken, anything else a failure that names it. */
class ScaleHookTest {

    private final Vertx vertx = Vertx.vertx();
    private final ScaleHook hook = new ScaleHook(vertx);
    private static final ScaleRequests.Ask ASK = new ScaleRequests.Ask("eu-west", 99.2, 60, "shop.example.test");

    @AfterEach
    void close() {
        vertx.close();
    }

    private static ScaleHookConfig command(String... args) {
        return new ScaleHookConfig(Optional.empty(), List.of(args), Duration.ofSeconds(5), Duration.ofMinutes(1));
    }

    @Test
    void aCommandGetsTheRegionTheCapacityRoundedUpAndTheReason() throws Exception {
        String out = hook.ask(command("sh", "-c", "echo scaling $0 to $1: $2", "{region}", "{capacity}", "{reason}"), ASK, "drain of us-east")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(out).endsWith("succeeded: scaling eu-west to 100: drain of us-east");
    }

    @Test
    void aCommandThatFailsSaysSoWithItsOutput() {
        assertThatThrownBy(() -> hook.ask(command("sh", "-c", "echo no quota left; exit 3"), ASK, "x")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("scale command").hasMessageContaining("exited 3: no quota left");
    }
}
