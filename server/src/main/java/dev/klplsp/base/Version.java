// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.base;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What Maven filtered into the jar when it was built (version.properties): the CLI's --version and the server's
 * serverInfo. Each value is {@code unknown} outside a built jar, and the commit also in a build from a tree that
 * is not a git checkout.
 */
public final class Version {
    private static final Properties PROPERTIES = load();

    private Version() {
    }

    /** {@code 0.1.0-SNAPSHOT}: the Maven project version. */
    public static String current() {
        return PROPERTIES.getProperty("version", "unknown");
    }

    /** The abbreviated commit the jar was built from, {@code -dirty} appended when the tree had changes. */
    public static String commit() {
        return PROPERTIES.getProperty("commit", "unknown");
    }

    /** When the jar was built, in UTC: {@code 2026-12-01T05:40:00Z}. */
    public static String buildDate() {
        return PROPERTIES.getProperty("buildDate", "unknown");
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/dev/klplsp/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // An unreadable resource in our own jar leaves every value unknown rather than failing --version.
        }
        return properties;
    }
}
