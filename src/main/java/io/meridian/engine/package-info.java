/**
 * The pure middle of the pipeline wired together — health → policy → plan — with the state it
 * keeps between ticks. The daemon and the simulator both drive it. Nothing here imports io.vertx,
 * Netty or any client library, or reads a clock (a test checks it).
 */
package io.meridian.engine;
