package io.meridian.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a BIND-style key file (as {@code tsig-keygen -a hmac-sha256 NAME} writes it):
 * <pre>
 * key "meridian" {
 *     algorithm hmac-sha256;
 *     secret "base64...";
 * };
 * </pre>
 */
public final class TsigKeyFile {

    /** A TSIG key: its name, algorithm and base64 secret. */
    public record TsigKey(String name, String algorithm, String secret) {

        @Override
        public String toString() {
            return "TsigKey[" + name + ", " + algorithm + "]"; // never the secret
        }
    }

    private static final Pattern KEY = Pattern.compile(
            "key\\s+\"?([^\"\\s{]+)\"?\\s*\\{[^}]*?algorithm\\s+([\\w-]+)\\s*;[^}]*?secret\\s+\"([^\"]+)\"\\s*;", Pattern.DOTALL);

    private TsigKeyFile() {
    }

    public static TsigKey read(Path file) throws IOException {
        String text = Files.readString(file);
        Matcher m = KEY.matcher(text);
        if (!m.find()) {
            throw new IOException(file + ": no key { algorithm ...; secret \"...\"; } block found");
        }
        String algorithm = m.group(2).toLowerCase(Locale.ROOT);
        if (!algorithm.equals("hmac-sha256") && !algorithm.equals("hmac-sha512") && !algorithm.equals("hmac-sha384")) {
            throw new IOException(file + ": algorithm was '" + algorithm + "' but must be hmac-sha256, hmac-sha384 or hmac-sha512");
        }
        try {
            Base64.getDecoder().decode(m.group(3));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the secret of key " + m.group(1) + " is not base64", e);
        }
        return new TsigKey(m.group(1), algorithm, m.group(3));
    }
}
