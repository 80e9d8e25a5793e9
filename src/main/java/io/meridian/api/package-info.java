/** The HTTP API on Vert.x Web: health endpoints for external checkers, Prometheus metrics, status. */
package io.meridian.api;
