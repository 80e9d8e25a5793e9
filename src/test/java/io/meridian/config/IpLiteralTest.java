package io.meridian.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Literals only, read by hand: nothing here may reach a resolver. */
class IpLiteralTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "192.0.2.1, 192.0.2.1",
            "0.0.0.0, 0.0.0.0",
            "2001:db8::1, 2001:db8:0:0:0:0:0:1",
            "::, 0:0:0:0:0:0:0:0",
            "::1, 0:0:0:0:0:0:0:1",
            "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
            "::2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8",
            "::ffff:192.0.2.1, 192.0.2.1",
            "64:ff9b::192.0.2.1, 64:ff9b:0:0:0:0:c000:201",
            "FE80::ABCD, fe80:0:0:0:0:0:0:abcd"})
    void readsLiterals(String text, String canonical) {
        assertThat(IpLiteral.isLiteral(text)).isTrue();
        assertThat(IpLiteral.canonical(text)).isEqualTo(canonical);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"x::1", "localhost", "example.test", "256.1.1.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", "1.2.3.", "１.2.3.4",
            "1::2::3", ":1", "1:", ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "12345::", "fe80::1%eth0", "[::1]", "::1.2.3",
            "1.2.3.4::", "g::1", "", " 1.2.3.4"})
    void refusesEverythingElse(String text) {
        assertThat(IpLiteral.isLiteral(text)).isFalse();
        assertThatThrownBy(() -> IpLiteral.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an IP literal");
    }
}
