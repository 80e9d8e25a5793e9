/** Simulated regional backends for {@code meridian demo}, which operators can fail and restore. */
package io.meridian.demo;
