// SPDX-License-Identifier: GPL-2.0-only
// A tiny test runner for the extension host: named checks, each timed, and a verdict file
// (the host exits 0 even when run() throws, so the file is the only truth).
import * as fs from 'fs';
import type * as vscode from 'vscode';

export interface CheckResult {
    name: string;
    ok: boolean;
    skipped?: boolean;
    ms: number;
    detail: string;
}

export class Suite {
    readonly results: CheckResult[] = [];

    async check(name: string, body: () => Promise<string | void>): Promise<boolean> {
        const start = Date.now();
        try {
            const detail = await body();
            this.results.push({ name, ok: true, ms: Date.now() - start, detail: detail ?? '' });
            return true;
        } catch (error) {
            const detail = error instanceof Error ? error.message : String(error);
            this.results.push({ name, ok: false, ms: Date.now() - start, detail });
            return false;
        }
    }

    skip(name: string, why: string): void {
        this.results.push({ name, ok: true, skipped: true, ms: 0, detail: `skipped: ${why}` });
    }

    writeVerdict(file: string): void {
        const failed = this.results.filter((r) => !r.ok).length;
        const passed = this.results.filter((r) => r.ok && !r.skipped).length;
        const verdict = { passed, failed, skipped: this.results.length - passed - failed, results: this.results };
        fs.writeFileSync(file + '.tmp', JSON.stringify(verdict, null, 2));
        fs.renameSync(file + '.tmp', file);
    }
}

export function assert(condition: unknown, message: string): asserts condition {
    if (!condition) {
        throw new Error(message);
    }
}

/** Polls until probe returns a value (not undefined/false) or the timeout passes. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>,
    timeoutMs = 30000, intervalMs = 100): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
        try {
            const value = await probe();
            if (value !== undefined && value !== false) {
                return value;
            }
        } catch (error) {
            last = error;
        }
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

/**
 * Saves a document as a user would. On a loaded machine (load 14 on 2 cores) VS Code 1.139 sometimes answers the
 * first save of a dirty, open document with false and writes nothing (about one run in three, main's extension
 * too); a second save, as a user would press Ctrl+S again, writes it. True when the first save took; a failure
 * names the document, its state and whatever `describe` adds.
 */
export async function saveAsAUserWould(document: vscode.TextDocument, describe = () => ''): Promise<boolean> {
    if (await document.save()) {
        return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert(await document.save(), `save of ${document.uri.fsPath} failed twice (dirty ${document.isDirty}, closed ${
        document.isClosed})${describe()}`);
    return false;
}
