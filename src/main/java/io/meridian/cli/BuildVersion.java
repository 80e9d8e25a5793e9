package io.meridian.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code meridian --version}: the version and commit the build wrote into {@code meridian-version.properties}. */
final class BuildVersion implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream("/meridian-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        return new String[] {"meridian " + p.getProperty("version", "unknown") + " (commit " + p.getProperty("commit", "unknown") + ")",
                "Java " + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
    }
}
