/** HTTP and HTTPS probes on the Vert.x HTTP client. */
package io.meridian.probe.http;
