/**
 * Diffs desired answers against what is published into ordered actions, and enforces the safety
 * rules. Pure; nothing here imports io.vertx, Netty or any client library (a test checks it).
 */
package io.meridian.plan;
