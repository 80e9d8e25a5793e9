package io.meridian.config;

/**
 * Resolvers or client subnets inside {@code cidr} are treated as being in {@code region} by the
 * {@code latency} policy (matched against EDNS Client Subnet, else the resolver's address).
 */
public record ClientRule(String cidr, byte[] network, int prefix, String region) {

    /** True when {@code address} (4 or 16 bytes) lies inside this rule's network. */
    public boolean matches(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }
}
