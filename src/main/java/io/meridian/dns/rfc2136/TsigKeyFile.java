package io.meridian.dns.rfc2136;

import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private static final Pattern KEY = Pattern.compile(
            "key\\s+\"?([^\"\\s{]+)\"?\\s*\\{[^}]*?algorithm\\s+([\\w-]+)\\s*;[^}]*?secret\\s+\"([^\"]+)\"\\s*;", Pattern.DOTALL);

    private TsigKeyFile() {
    }

    public static TSIG read(Path file) throws IOException {
        String text = Files.readString(file);
        Matcher m = KEY.matcher(text);
        if (!m.find()) {
            throw new IOException(file + ": no key { algorithm ...; secret \"...\"; } block found");
        }
        String algorithm = m.group(2).toLowerCase(java.util.Locale.ROOT);
        if (!algorithm.equals("hmac-sha256") && !algorithm.equals("hmac-sha512") && !algorithm.equals("hmac-sha384")) {
            throw new IOException(file + ": algorithm was '" + algorithm + "' but must be hmac-sha256, hmac-sha384 or hmac-sha512");
        }
        try {
            return new TSIG(Name.fromString(algorithm + "."), Name.fromString(m.group(1) + "."), m.group(3));
        } catch (TextParseException | IllegalArgumentException e) {
            throw new IOException(file + ": key " + m.group(1) + " is not valid: " + e.getMessage(), e);
        }
    }
}
