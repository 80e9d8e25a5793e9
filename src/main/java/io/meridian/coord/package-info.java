/** Shared state and leadership; {@code local}: one daemon, files next to its configuration. */
package io.meridian.coord;
