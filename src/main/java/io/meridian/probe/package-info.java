/**
 * Probers (one sub-package per protocol) and the scheduler that runs them: jittered per-check
 * intervals, a random initial stagger and a hard timeout on every probe.
 */
package io.meridian.probe;
