// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

/** How bad a finding is. FIXME(check): replace by dev.klplsp.check.Severity once that branch lands. */
public enum Severity {
    ERROR, WARNING, INFO
}
