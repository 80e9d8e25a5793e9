package io.meridian.probe.http;

import io.meridian.config.HealthCheckConfig;

import java.util.Optional;
import java.util.regex.Pattern;

/** What a check expects in the body (a substring and/or a regex), and how a miss is said. */
record BodyCheck(String needle, Pattern regex) {

    static Optional<BodyCheck> of(HealthCheckConfig check) {
        if (check.bodyContains().isEmpty() && check.options().bodyRegex().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BodyCheck(check.bodyContains().orElse(null), check.options().bodyRegex().orElse(null)));
    }

    boolean matches(String text) {
        return (needle == null || text.contains(needle)) && (regex == null || regex.matcher(text).find());
    }

    String wanted() {
        return needle != null ? "'" + needle + "'" : "/" + regex.pattern() + "/";
    }

    String tooLarge(int max) {
        return wanted() + " not in the first " + max + " bytes of the body (max-body-bytes)";
    }

    String mismatch(int bodyBytes) {
        return "body (" + bodyBytes + " bytes) does not contain " + wanted();
    }
}
