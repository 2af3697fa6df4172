// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.Candidate;

/** How the editor names a candidate. */
public final class Candidates {
    private Candidates() {
    }

    /** What distinguishes it, as a fix title shows it: {@code vmlinux, manage.c, t, 0xffffffff81660c90}. */
    public static String distinction(Candidate candidate) {
        StringBuilder text = new StringBuilder(candidate.object());
        candidate.sourceFile().ifPresent(file -> text.append(", ").append(file));
        text.append(", ").append(candidate.nmLetter());
        text.append(", 0x").append(Long.toHexString(candidate.address()));
        return text.toString();
    }

    /** A quick-fix title: {@code sympos 2 — vmlinux, manage.c, t, 0xffffffff81660c90}. */
    public static String title(Candidate candidate) {
        return "sympos " + candidate.sympos() + " \u2014 " + distinction(candidate);
    }
}
