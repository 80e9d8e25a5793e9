package io.meridian.probe;

import java.util.Locale;

/** Why a probe failed, as a stable code that appears in the API, metrics tags and logs. */
public enum FailureReason {
    OK,
    CONNECT_REFUSED,
    CONNECT_TIMEOUT,
    UNREACHABLE,
    TIMEOUT,
    TLS_HANDSHAKE,
    STATUS,
    BODY_MISMATCH,
    RESET,
    CLOSED,
    ERROR;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
