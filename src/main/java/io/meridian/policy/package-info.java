/**
 * Routing policies: from region health to the answers each service should give. Pure; nothing
 * here imports io.vertx, Netty or any client library (a test checks it).
 */
package io.meridian.policy;
