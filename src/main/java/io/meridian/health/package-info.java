/**
 * Per-target health state machines (rise/fall hysteresis) and region health. Pure: values and
 * times in, values out; nothing here imports io.vertx, Netty or any client library (a test checks it).
 */
package io.meridian.health;
