package io.meridian.config;

/** One endpoint of a region: the address DNS hands out and the check that probes it. */
public record EndpointConfig(String address, int port, String check) {

    /** A stable id, unique across the whole configuration: {@code region/address:port}. */
    public String id(String region) {
        return region + "/" + new HostPort(address, port);
    }
}
