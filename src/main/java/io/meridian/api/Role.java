package io.meridian.api;

import java.util.Locale;

/** What a token may do: read, change, or change past the safety rules. */
public enum Role {
    VIEWER, OPERATOR, ADMIN;

    public boolean allows(Role needed) {
        return compareTo(needed) >= 0;
    }

    public static Role of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
