package io.meridian.daemon;

import io.meridian.config.LoggingConfig;
import io.meridian.engine.Event;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The daemon's log lines as {@code logging:} asks for them: logback's JSON with the decision's fields, or text. */
class LogSetupTest {

    private static String logged(LoggingConfig config, Runnable write) {
        PrintStream err = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            LogSetup.apply(config); // the appender takes System.err as it is now
            write.run();
        } finally {
            System.setErr(err);
            LogSetup.apply(LoggingConfig.defaults());
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonLinesCarryTheDecisionsFieldsAsKeys() {
        String out = logged(new LoggingConfig(true, "info", Map.of()), () -> DecisionLog.write(LoggerFactory.getLogger(Controller.class),
                new Event(Instant.EPOCH, Event.Kind.FAILOVER, "app.example.test", "app.example.test: us-east -> eu-west because us-east is down")));
        JsonObject line = new JsonObject(out.lines().filter(l -> l.contains("FAILOVER")).findFirst().orElseThrow());
        assertThat(line.getString("level")).isEqualTo("INFO");
        assertThat(line.getString("loggerName")).isEqualTo("io.meridian.daemon.Controller");
        assertThat(line.getString("formattedMessage")).startsWith("FAILOVER app.example.test: us-east -> eu-west");
        assertThat(line.getLong("timestamp")).isPositive();
        assertThat(line.getJsonArray("kvpList").encode()).contains("{\"kind\":\"FAILOVER\"}", "{\"service\":\"app.example.test\"}",
                "{\"reason\":\"app.example.test: us-east -> eu-west because us-east is down\"}");
    }

    @Test
    void textLinesAndLevelsPerPackage() {
        String out = logged(new LoggingConfig(false, "warn", Map.of("io.meridian.daemon", "info")), () -> {
            LoggerFactory.getLogger("io.meridian.daemon.X").info("kept");
            LoggerFactory.getLogger("io.meridian.probe.Y").info("dropped");
            DecisionLog.write(LoggerFactory.getLogger(Controller.class), new Event(Instant.EPOCH, Event.Kind.TARGET_STATE, "us-east/a", "UP"));
        });
        assertThat(out).contains("[INFO] X - kept").contains("[INFO] Controller - TARGET_STATE UP").doesNotContain("dropped");
        assertThat(out.lines().findFirst().orElseThrow()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\[INFO] X - kept");
        assertThat(DecisionLog.subjectKey(Event.Kind.TARGET_STATE)).isEqualTo("target");
    }
}
