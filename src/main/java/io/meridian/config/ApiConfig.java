package io.meridian.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP API: where it listens, who may call it, where it keeps its state.
 *
 * @param tokens        bearer tokens allowed to call the API (from the file {@code api.tokens}); none: every
 *                      call but the public health endpoints is refused
 * @param stateDir      where the audit journal and the persisted operator overrides live
 * @param tls           certificate and key (PEM) to serve HTTPS; empty: plain HTTP
 * @param publicHealth  {@code /healthz}, {@code /readyz}, {@code /metrics} and {@code /v1/regions/{r}/health}
 *                      need no token (external checkers cannot send one)
 * @param limits        bounds on inbound connections ({@code api.limits})
 * @param journal       rotation of the journal in {@code stateDir} ({@code api.journal})
 */
public record ApiConfig(HostPort listen, List<TokenConfig> tokens, Path stateDir, Optional<TlsConfig> tls,
                        boolean publicHealth, ConnectionLimits limits, JournalSettings journal) {

    public ApiConfig {
        tokens = List.copyOf(tokens);
    }

    public ApiConfig(HostPort listen) {
        this(listen, List.of(), Path.of("."), Optional.empty(), true, ConnectionLimits.apiDefaults(), JournalSettings.defaults());
    }

    public ApiConfig withTokens(List<TokenConfig> t) {
        return new ApiConfig(listen, t, stateDir, tls, publicHealth, limits, journal);
    }

    public ApiConfig withStateDir(Path dir) {
        return new ApiConfig(listen, tokens, dir, tls, publicHealth, limits, journal);
    }

    public ApiConfig withLimits(ConnectionLimits l) {
        return new ApiConfig(listen, tokens, stateDir, tls, publicHealth, l, journal);
    }

    /** A PEM certificate chain and private key. */
    public record TlsConfig(Path cert, Path key) {
    }
}
