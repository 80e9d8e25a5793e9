package io.meridian.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How this daemon works with the others ({@code coordination:} in meridian.yaml).
 *
 * @param type      {@code local} (alone: the default) or {@code etcd}
 * @param endpoints the etcd members' client URLs
 * @param prefix    every key under it ({@code /meridian/<cluster>/})
 * @param leaseTtl  this daemon's lease: its vantage report and, when it leads, the leader key live on it
 * @param grace     a new leader waits this long before it acts (the old leader's writes in flight land or fail)
 * @param reassert  a vantage report is written again at this period even when nothing changed
 * @param tls       client TLS to etcd, if any
 * @param user      etcd user (with {@code password}), if any
 */
public record CoordinationConfig(Type type, List<URI> endpoints, String prefix, Duration leaseTtl, Duration grace, Duration reassert,
                                 Optional<Tls> tls, Optional<String> user, Secret password) {

    public enum Type { LOCAL, ETCD }

    /** @param cert and {@code key}: a client certificate, if etcd asks for one */
    public record Tls(Path ca, Optional<Path> cert, Optional<Path> key) {
    }

    public CoordinationConfig {
        endpoints = List.copyOf(endpoints);
    }

    public static CoordinationConfig local() {
        return new CoordinationConfig(Type.LOCAL, List.of(), "/meridian/default/", Duration.ofSeconds(10), Duration.ofSeconds(2),
                Duration.ofSeconds(2), Optional.empty(), Optional.empty(), Secret.NONE);
    }

    public boolean etcd() {
        return type == Type.ETCD;
    }
}
