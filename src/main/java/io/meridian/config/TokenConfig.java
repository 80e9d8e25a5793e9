package io.meridian.config;

/**
 * One API token as stored: never the token itself, only its SHA-256.
 *
 * @param role   {@code viewer} (read), {@code operator} (changes), {@code admin} (forced changes)
 * @param sha256 lower-case hex SHA-256 of the token
 */
public record TokenConfig(String name, String role, String sha256) {
}
