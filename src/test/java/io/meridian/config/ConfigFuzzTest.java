package io.meridian.config;

import io.meridian.bench.ConfigFuzz;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Ten seconds of the configuration fuzzer (longer: {@code meridian bench fuzz --target config}). */
class ConfigFuzzTest {

    @Test
    void mutatedConfigurationsLoadOrSayWhereTheyAreWrongNeverCrashNorStall() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.currentTimeMillis());
        ConfigFuzz.Report r = ConfigFuzz.run(seed, Duration.ofSeconds(10), 200_000);
        assertThat(r.failures()).as("seed %d (replay: -Dfuzz.seed=%d)", seed, seed).isEmpty();
        assertThat(r.cases()).isGreaterThan(200);
        assertThat(r.valid()).as("the starting configuration is valid and some mutants stay so").isPositive();
        assertThat(r.refused()).isPositive();
    }
}
