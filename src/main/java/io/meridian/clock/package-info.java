/** The one time source: wall time for audit and API timestamps, monotonic nanos for windows and timeouts. */
package io.meridian.clock;
