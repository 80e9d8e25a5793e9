package io.meridian.coord;

import io.vertx.core.Future;

import java.util.Optional;

/** How this daemon works with the others: {@code local} (alone) or {@code etcd}. */
public interface Coordination {

    /** {@code local} or {@code etcd}. */
    String kind();

    Future<Void> start();

    Future<Void> stop();

    Leadership leadership();

    ObservationExchange observations();

    SharedState shared();

    /** Empty while the store answers; else why it does not (then nothing acts, every region keeps answering). */
    Optional<String> unavailable();
}
