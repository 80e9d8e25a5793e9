package io.meridian.coord;

/**
 * The leadership an action was decided under. {@code epoch} counts leaders (1, 2, 3 …); {@code token}
 * is the fencing token: with etcd the leader key's creation revision, which only grows, so whatever a
 * leader writes can carry it and a stale leader's late write can be told apart and refused.
 *
 * @param holder the daemon (vantage) that leads in this term
 */
public record Term(long epoch, long token, String holder) {

    /** The one term of a daemon that coordinates with nobody: it always leads, the term never changes. */
    public static Term local(String vantage) {
        return new Term(1, 0, vantage);
    }

    public String describe() {
        return "term " + epoch + " (token " + token + ", " + holder + ")";
    }
}
