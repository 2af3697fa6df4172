// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.source.AnnotationStyle;
import dev.klplsp.source.LookupMigration;
import java.util.List;

/**
 * The run-time lookups of a file that can become KLP relocations (as the index resolves them), and the findings
 * that keep the others as they are (an ambiguous name is never converted silently: a copy is chosen first).
 *
 * @param left how many lookups stay as they are
 * @param blocking the findings that keep them, in source order
 * @param style the annotation style the converted declarations get
 */
record LookupPlan(List<LookupMigration> migrations, int left, List<FileDiagnostic> blocking, AnnotationStyle style) {
    static final LookupPlan NONE = new LookupPlan(List.of(), 0, List.of(), AnnotationStyle.NONE);

    LookupPlan {
        migrations = List.copyOf(migrations);
        blocking = blocking.stream().sorted(java.util.Comparator.comparingInt(finding -> finding.span().start()))
                .toList();
    }
}
