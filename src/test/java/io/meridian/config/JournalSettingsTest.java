package io.meridian.config;

import io.meridian.testing.ConfigDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code api.journal}: the journal's rotation, read or refused with its place. */
class JournalSettingsTest {

    @TempDir
    Path dir;

    private MeridianConfig load(String api) throws Exception {
        ConfigDir.base().with("meridian.yaml", "vantage: us-east\n" + api + "dns: {zone: example.test}\n"
                + "services:\n  - {name: app.example.test, policy: failover, regions: [us-east, eu-west]}\n").writeTo(dir);
        return ConfigLoader.load(dir);
    }

    @Test
    void readsSizeAgeAndKeepWithDefaults() throws Exception {
        assertThat(load("api: {journal: {max-size: 8MiB, max-age: 6h, keep: 4}}\n").api().journal())
                .isEqualTo(new JournalSettings(8L << 20, Duration.ofHours(6), 4));
        assertThat(load("").api().journal()).isEqualTo(JournalSettings.defaults());
        assertThatThrownBy(() -> load("api: {journal: {keep: 0, rotate: yes}}\n")).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("meridian.yaml:2:").hasMessageContaining("api.journal.keep")
                .hasMessageContaining("unknown key 'api.journal.rotate'");
    }
}
