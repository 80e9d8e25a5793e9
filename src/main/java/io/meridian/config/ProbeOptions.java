package io.meridian.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The protocol-specific parts of a health check (each applies to the types named).
 *
 * @param method          http/https: request method
 * @param headers         http/https: extra request headers
 * @param bodyRegex       http/https: a regex the first {@code maxBodyBytes} of the body must match
 * @param maxBodyBytes    http/https: read at most this much of a body (never a whole large body)
 * @param followRedirects http/https: follow up to 5 redirects (off: a 3xx is judged as it is)
 * @param http2           http/https: speak HTTP/2 (h2 over TLS, h2c over plain TCP)
 * @param caFile          https/tls: PEM file of the CAs to trust instead of the JVM's
 * @param send            tcp: text to send once connected
 * @param expect          tcp: regex the reply must match
 * @param query           dns: name to ask for (required for dns checks)
 * @param queryType       dns: A, AAAA, CNAME, MX, NS, TXT or SRV
 * @param expectRcode     dns: expected response code (NOERROR, NXDOMAIN, ...)
 * @param answerContains  dns: a value one answer record must contain
 * @param warnBefore      tls: succeed with a warning when the certificate expires sooner than this
 * @param failBefore      tls: fail when the certificate expires sooner than this
 * @param keepAlive       http/https: reuse connections between probes (cheaper; a fresh connection per
 *                        probe, the default, also sees failures to connect)
 */
public record ProbeOptions(String method, Map<String, String> headers, Optional<Pattern> bodyRegex, int maxBodyBytes,
                           boolean followRedirects, boolean http2, Optional<Path> caFile, Optional<String> send,
                           Optional<Pattern> expect, String query, String queryType, String expectRcode,
                           Optional<String> answerContains, Duration warnBefore, Duration failBefore, boolean keepAlive) {

    public static final int DEFAULT_MAX_BODY = 64 * 1024;

    public ProbeOptions {
        headers = Map.copyOf(headers);
    }

    public static ProbeOptions defaults() {
        return new ProbeOptions("GET", Map.of(), Optional.empty(), DEFAULT_MAX_BODY, false, false, Optional.empty(),
                Optional.empty(), Optional.empty(), "", "A", "NOERROR", Optional.empty(), Duration.ofDays(14), Duration.ofDays(3), false);
    }
}
