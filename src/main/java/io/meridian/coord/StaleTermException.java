package io.meridian.coord;

/** An action, or a write to the shared state, decided under a term that is no longer the current one: refused. */
public final class StaleTermException extends RuntimeException {

    public StaleTermException(Term term, String why) {
        super("refused under " + term.describe() + ": " + why);
    }
}
