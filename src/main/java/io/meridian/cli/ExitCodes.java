package io.meridian.cli;

/** Exit codes every client command keeps. */
final class ExitCodes {

    static final int OK = 0;
    /** A safety rule refused the change (HTTP 409). */
    static final int REFUSED = 1;
    /** Bad usage or input: unknown option, region or service, missing reason (HTTP 400, 404). */
    static final int USAGE = 2;
    /** The API cannot be reached, or the token is missing, wrong, or too weak (HTTP 401, 403). */
    static final int UNREACHABLE = 3;

    private ExitCodes() {
    }

    static int of(int httpStatus) {
        if (httpStatus < 300) {
            return OK;
        }
        if (httpStatus == 409) {
            return REFUSED;
        }
        if (httpStatus == 401 || httpStatus == 403) {
            return UNREACHABLE;
        }
        return httpStatus >= 500 ? UNREACHABLE : USAGE;
    }
}
