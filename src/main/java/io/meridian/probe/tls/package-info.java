/** TLS probes: the handshake, and how long until the certificate expires. */
package io.meridian.probe.tls;
