package io.meridian.dns.embedded;

import io.meridian.bench.DnsFuzz;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Ten seconds of the packet fuzzer on the server's own pipelines (longer: {@code meridian bench fuzz --target dns}). */
class DnsFuzzTest {

    @Test
    void mutatedQueriesNeverEscapeAsExceptionsNorGetInvalidReplies() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.currentTimeMillis());
        DnsFuzz.Report r = DnsFuzz.run(seed, Duration.ofSeconds(10), 2_000_000);
        assertThat(r.failures()).as("seed %d (replay: -Dfuzz.seed=%d)", seed, seed).isEmpty();
        assertThat(r.cases()).isGreaterThan(1000);
        assertThat(r.replies()).as("most mutants still get an answer").isGreaterThan(r.cases() / 4);
    }
}
