package io.meridian.coord;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Which daemon acts. Only the leader calls DNS and database providers, and only while its term is
 * current and its deadline (last renewal + TTL − margin, on the monotonic clock) leaves time: a leader
 * that cannot renew stops acting before another one can be elected.
 */
public interface Leadership {

    /** Who leads, as this daemon knows it; empty while nobody does (or the store cannot be asked). */
    record Leader(String name, String api, Term term) {
    }

    /** The term this daemon may act under now; empty while it does not lead or its deadline is near. */
    Optional<Term> acting();

    /** True while {@code term} is this daemon's current term and it may act under it. */
    default boolean current(Term term) {
        return acting().map(term::equals).orElse(false);
    }

    Optional<Leader> leader();

    /** Called on the daemon's event loop when this daemon gains (a term) or loses (empty) the right to act. */
    void onChange(Consumer<Optional<Term>> listener);
}
