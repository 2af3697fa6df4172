// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version Maven filtered into the jar, for serverInfo. */
final class Version {
    private Version() {
    }

    static String current() {
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
