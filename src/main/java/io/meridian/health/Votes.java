package io.meridian.health;

/**
 * How the fresh, trusted vantage reports on one target stand.
 *
 * @param voters   vantages with a fresh report that is not set aside
 * @param required votes needed by the quorum
 * @param vantages vantages configured
 */
public record Votes(int down, int up, int degraded, int voters, int required, int vantages) {

    static final Votes NONE = new Votes(0, 0, 0, 0, 0, 0);

    @Override
    public String toString() {
        return down + " down, " + up + " up, " + degraded + " degraded of " + voters + " fresh vantage"
                + (voters == 1 ? "" : "s") + " (quorum " + required + " of " + vantages + ")";
    }
}
