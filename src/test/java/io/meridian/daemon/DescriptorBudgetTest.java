package io.meridian.daemon;

import io.meridian.config.ConnectionLimits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DescriptorBudgetTest {

    private static final ConnectionLimits DNS = ConnectionLimits.dnsDefaults();
    private static final ConnectionLimits API = ConnectionLimits.apiDefaults();

    @Test
    void keepsTheConfiguredBoundsWhenTheyFit() {
        DescriptorBudget b = DescriptorBudget.plan(20_000, 60, 30, DNS, API);
        assertThat(b.lowered()).isFalse();
        assertThat(b.dns()).isEqualTo(DNS);
        assertThat(b.api()).isEqualTo(API);
        assertThat(b.probes()).isEqualTo(30);
    }

    @Test
    void lowersInboundBoundsSoThatProbesKeepTheirShareUnderALowLimit() {
        DescriptorBudget b = DescriptorBudget.plan(400, 70, 40, DNS, API);
        assertThat(b.lowered()).isTrue();
        long bounds = b.dns().maxConnections() + b.api().maxConnections();
        assertThat(b.openAtStart() + DescriptorBudget.HEADROOM + b.probes() + bounds).isLessThanOrEqualTo(400);
        assertThat(b.burstMargin()).isGreaterThanOrEqualTo(bounds);
        assertThat(b.dns().maxConnections()).isGreaterThan(b.api().maxConnections()); // in proportion: 256 to 128
        assertThat(b.dns().maxPerSource()).isLessThanOrEqualTo(b.dns().maxConnections());
        assertThat(b.describe()).contains("limit 400", "40 reserved for probes", "lowered");
    }

    @Test
    void stillAdmitsOneConnectionEachWhenNothingIsLeftAndSaysTheLimitIsTooLow() {
        DescriptorBudget b = DescriptorBudget.plan(100, 60, 40, DNS, API);
        assertThat(b.dns().maxConnections()).isEqualTo(1);
        assertThat(b.api().maxConnections()).isEqualTo(1);
        assertThat(b.describe()).contains("TOO LOW");
    }

    @Test
    void anUnknownLimitChangesNothing() {
        DescriptorBudget b = DescriptorBudget.plan(-1, 0, 40, DNS, API);
        assertThat(b.dns()).isEqualTo(DNS);
        assertThat(b.describe()).contains("unknown");
    }
}
