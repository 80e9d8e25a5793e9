package io.meridian.api;

import io.meridian.config.TokenConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Checks bearer tokens against the SHA-256 hashes of {@code api.tokens}. Every stored hash is
 * compared in constant time, whether or not an earlier one matched, so timing tells nothing.
 * Tokens are never logged; only the token's name is.
 */
public final class Authenticator {

    /** Who called: the token's name and role. */
    public record Caller(String name, Role role) {
    }

    private record Entry(String name, Role role, byte[] hash) {
    }

    private final List<Entry> entries;

    public Authenticator(List<TokenConfig> tokens) {
        this.entries = tokens.stream().map(t -> new Entry(t.name(), Role.of(t.role()), HexFormat.of().parseHex(t.sha256()))).toList();
    }

    public boolean configured() {
        return !entries.isEmpty();
    }

    /** The caller of an {@code Authorization} header value, if it carries a known bearer token. */
    public Optional<Caller> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        byte[] hash = sha256(authorization.substring(7).trim());
        Caller found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.hash(), hash) && found == null) {
                found = new Caller(e.name(), e.role());
            }
        }
        return Optional.ofNullable(found);
    }

    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
