// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

/** Something the scanner could not read as intended. Data, never thrown; the scan still yields a result. */
public record ScanProblem(ProblemKind kind, String message, Span span) {
}
