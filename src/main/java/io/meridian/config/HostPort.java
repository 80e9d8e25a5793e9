package io.meridian.config;

/** A listen or connect address such as {@code 127.0.0.1:5353}. */
public record HostPort(String host, int port) {

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
