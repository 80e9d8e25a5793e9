package io.meridian.config;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as operators write them: a plain number of bytes ({@code 65536}), or with a unit: {@code B},
 * decimal {@code KB}, {@code MB}, {@code GB} (powers of 1000) and binary {@code KiB}, {@code MiB},
 * {@code GiB} (powers of 1024). Only ASCII digits.
 */
public final class ByteSizes {

    private static final Pattern FORMAT = Pattern.compile("([0-9]{1,13})\\s?(B|KB|MB|GB|KiB|MiB|GiB)?");
    private static final Map<String, Long> UNITS = Map.of("B", 1L, "KB", 1_000L, "MB", 1_000_000L, "GB", 1_000_000_000L,
            "KiB", 1L << 10, "MiB", 1L << 20, "GiB", 1L << 30);

    private ByteSizes() {
    }

    /** The size in bytes, or empty when the text is not of the form above (or overflows). */
    public static Optional<Long> parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long unit = m.group(2) == null ? 1 : UNITS.get(m.group(2));
        try {
            return Optional.of(Math.multiplyExact(Long.parseLong(m.group(1)), unit));
        } catch (ArithmeticException tooLarge) {
            return Optional.empty();
        }
    }
}
