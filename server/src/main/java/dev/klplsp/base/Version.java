// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.base;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version Maven filtered into the jar: the CLI's --version and the server's serverInfo. */
public final class Version {
    private Version() {
    }

    /** {@code 0.1.0-SNAPSHOT}, or {@code unknown} outside a built jar. */
    public static String current() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/dev/klplsp/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return properties.getProperty("version", "unknown");
    }
}
