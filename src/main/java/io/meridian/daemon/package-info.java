/**
 * The daemon: the controller that owns all mutable state on one event loop and wires the
 * pipeline stages (probe → health → policy → plan → dns) together, plus the verticle that starts it.
 */
package io.meridian.daemon;
