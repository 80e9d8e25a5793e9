package io.meridian.config;

import java.util.Locale;

/** DNS name rules shared by zone, service and region names. */
final class Names {

    private Names() {
    }

    static boolean isLabel(String s) {
        return s.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    }

    /** Lower-cased, without the trailing dot. */
    static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    static boolean isDomainName(String name) {
        String n = normalize(name);
        if (n.isEmpty() || n.length() > 253) {
            return false;
        }
        for (String label : n.split("\\.", -1)) {
            if (!label.matches("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?")) {
                return false;
            }
        }
        return true;
    }

    static boolean isInZone(String name, String zone) {
        return name.equals(zone) || name.endsWith("." + zone);
    }
}
