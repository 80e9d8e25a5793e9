package io.meridian.config;

import java.time.Duration;

/**
 * {@code api.journal}: when the journal file in {@code api.state-dir} is rotated (compressed beside it),
 * and how many rotated files are kept.
 *
 * @param maxBytes rotate before the file would pass this size
 * @param maxAge   rotate once its first entry is this old
 * @param keep     rotated files kept; older ones are deleted
 */
public record JournalSettings(long maxBytes, Duration maxAge, int keep) {

    public static JournalSettings defaults() {
        return new JournalSettings(64L << 20, Duration.ofDays(1), 10);
    }
}
