package io.meridian.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code scale-hook:} of a region: how to ask it for more capacity before it takes traffic. Either a
 * webhook ({@code url}: a POST of {@code {"region", "capacity", "reason"}}) or a command, with
 * {@code {region}}, {@code {capacity}} and {@code {reason}} replaced in its arguments.
 *
 * @param deadline how long a planned shift towards the region ramps while its capacity grows; then it completes
 */
public record ScaleHookConfig(Optional<URI> url, List<String> command, Duration timeout, Duration deadline) {

    public ScaleHookConfig {
        command = List.copyOf(command);
    }

    public String describe() {
        return url.map(u -> "POST " + u).orElseGet(() -> "command " + command);
    }
}
