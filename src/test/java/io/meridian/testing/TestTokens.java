package io.meridian.testing;

import io.meridian.api.Authenticator;

import java.util.HexFormat;

/** Tokens of every role for tests, and the tokens file that admits them (as hashes). */
public final class TestTokens {

    public static final String VIEWER = "viewer-secret-token";
    public static final String OPERATOR = "operator-secret-token";
    public static final String ADMIN = "admin-secret-token";

    public static final String FILE = "tokens:\n"
            + "  - {name: vera, role: viewer, sha256: " + hash(VIEWER) + "}\n"
            + "  - {name: otto, role: operator, sha256: " + hash(OPERATOR) + "}\n"
            + "  - {name: ada, role: admin, sha256: " + hash(ADMIN) + "}\n";

    private TestTokens() {
    }

    public static String hash(String token) {
        return HexFormat.of().formatHex(Authenticator.sha256(token));
    }
}
