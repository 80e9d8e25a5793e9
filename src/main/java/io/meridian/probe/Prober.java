package io.meridian.probe;

import io.vertx.core.Future;

/** Probes one target. The future always succeeds, with a failed {@link ProbeResult} when the target fails. */
public interface Prober {

    Future<ProbeResult> probe(ProbeTarget target);
}
