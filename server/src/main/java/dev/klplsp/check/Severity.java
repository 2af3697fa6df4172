// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

/** How bad a finding is. An ERROR stops a conversion; warnings and infos never do. */
public enum Severity {
    ERROR, WARNING, INFO;

    /** "error", "warning", "info": the spelling of the CLI, the JSON report and the docs. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
