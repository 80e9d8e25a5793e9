package io.meridian.plan;

import io.meridian.policy.DesiredAnswers;

/** Publish {@code answers} for one service. Idempotent: applying it twice leaves the same records. */
public record Action(String service, DesiredAnswers answers, String reason) {
}
