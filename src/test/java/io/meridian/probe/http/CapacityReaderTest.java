package io.meridian.probe.http;

import io.meridian.clock.ManualClock;
import io.meridian.policy.CapacityUse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What a capacity report's body may say, and how each bad one is named. */
class CapacityReaderTest {

    private final Vertx vertx = Vertx.vertx();
    private final CapacityReader reader = new CapacityReader(vertx, new ManualClock(Instant.parse("2030-01-01T00:00:00Z")));

    @AfterEach
    void close() {
        vertx.close();
    }

    private CapacityUse.Report parse(String body) {
        return reader.parse(Buffer.buffer(body));
    }

    @Test
    void readsReadyAndCapacity() {
        assertThat(parse("{\"ready\": true, \"capacity\": 1200}")).satisfies(r -> {
            assertThat(r.read()).isTrue();
            assertThat(r.ready()).isTrue();
            assertThat(r.capacity()).isEqualTo(1200.0);
        });
        assertThat(parse("{\"capacity\": 12.5}").ready()).as("ready defaults to true").isTrue();
        assertThat(parse("{\"ready\": false}")).satisfies(r -> {
            assertThat(r.read()).isTrue();
            assertThat(r.ready()).isFalse();
        });
    }

    @Test
    void namesWhatIsWrongWithABadBody() {
        assertThat(parse("capacity=3").detail()).isEqualTo("body is not a JSON object");
        assertThat(parse("[1, 2]").detail()).isEqualTo("body is not a JSON object");
        assertThat(parse("{\"ready\": \"yes\", \"capacity\": 3}").detail()).isEqualTo("ready was yes but must be true or false");
        assertThat(parse("{\"ready\": true}").detail()).isEqualTo("capacity was null but must be a number of at least 0");
        assertThat(parse("{\"capacity\": -1}").detail()).isEqualTo("capacity was -1 but must be a number of at least 0");
        assertThat(parse("{\"capacity\": \"lots\"}").read()).isFalse();
    }
}
