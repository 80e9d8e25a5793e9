/** TCP connect probes on the Vert.x net client. */
package io.meridian.probe.tcp;
