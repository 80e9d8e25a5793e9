package io.meridian.probe;

import java.util.Locale;

/** Why a probe failed, as a stable code that appears in the API, metrics tags and logs. */
public enum FailureReason {
    OK,
    /** nothing listens: RST to the SYN */
    CONNECT_REFUSED,
    /** no answer to the SYN within the timeout (black hole, firewall drop) */
    CONNECT_TIMEOUT,
    /** no route, host or network unreachable */
    UNREACHABLE,
    /** connected, but no complete answer within the timeout (frozen or dribbling server) */
    TIMEOUT,
    /** the TLS handshake failed: untrusted or wrong-host certificate, protocol mismatch */
    TLS_HANDSHAKE,
    /** the certificate has expired */
    TLS_EXPIRED,
    /** the certificate expires sooner than the check's fail-before */
    TLS_EXPIRING,
    /** an HTTP status outside the expected set (the message names it) */
    STATUS,
    /** the body does not contain or match what the check expects */
    BODY_MISMATCH,
    /** the body ran past max-body-bytes before the expected content was seen */
    TOO_LARGE,
    /** the server answered with something that is not HTTP */
    BAD_RESPONSE,
    /** tcp: the reply does not match the check's expect */
    REPLY_MISMATCH,
    /** dns: an unexpected response code (the message names it) */
    DNS_RCODE,
    /** dns: no answer record holds the expected value */
    DNS_ANSWER,
    /** the peer reset the connection */
    RESET,
    /** the peer closed the connection before answering */
    CLOSED,
    /**
     * this vantage could not probe for a reason of its own host: no descriptor, no ephemeral port,
     * no memory, an event loop that was stalled. No evidence against the target (see {@link #local()}).
     */
    LOCAL_ERROR,
    /** anything else; the message says what */
    ERROR;

    /** The failure says something about this host, not about the target. */
    public boolean local() {
        return this == LOCAL_ERROR;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
