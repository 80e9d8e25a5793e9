package io.meridian.policy;

import io.meridian.config.EndpointConfig;
import io.meridian.config.RegionConfig;
import io.meridian.health.RegionStatus;

import java.util.List;

/** A region's configuration beside its current status: what a policy decides from. */
public record RegionView(RegionConfig config, RegionStatus status) {

    public String name() {
        return config.name();
    }

    public List<String> allAddresses() {
        return config.endpoints().stream().map(EndpointConfig::address).distinct().toList();
    }
}
