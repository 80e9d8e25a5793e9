/** DNS probes on the Vert.x DNS client: a name, a type, the expected rcode and answer. */
package io.meridian.probe.dns;
