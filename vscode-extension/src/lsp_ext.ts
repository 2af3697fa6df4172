// SPDX-License-Identifier: GPL-2.0-only
// The klp-specific parts of the protocol: the twin of the server's LspExt. Keep both in step
// (documented in docs/guide-vscode.md, "Protocol").
import * as lc from 'vscode-languageclient/node';

/** Server → client notification on every change of the kernel index (and once it is ready). */
export type IndexState = 'indexing' | 'ready' | 'error';

export interface IndexStatusParams {
    state: IndexState;
    /** Number of symbols in the index, when ready. */
    symbols?: number;
    /** Human-readable detail: progress text while indexing, the cause on error. */
    message?: string;
    /** The kernel in use, as the user named it (release or path), or "3 kernels" when several are configured. */
    kernel?: string;
    /** When ready with several kernels: their names, in the configured order. */
    kernels?: string[];
    /** When ready with one kernel: the release its index found (`6.1.0-56-amd64`), when it found one. */
    release?: string;
}

export const indexStatus = new lc.NotificationType<IndexStatusParams>('klp/indexStatus');

/** `workspace/executeCommand` commands the server offers (LspExt.COMMANDS). */
export const SERVER_COMMANDS = {
    convert: 'klp.convert',
    check: 'klp.check',
    reindex: 'klp.reindex',
    kernels: 'klp.kernels',
} as const;

/** One entry of the klp.kernels result: an installed kernel and whether klp-lsp can index it. */
export interface InstalledKernel {
    /** The release, as the `kernel` setting names it. */
    kernel: string;
    running: boolean;
    /** A module tree and vmlinux symbols (debug vmlinux, readable vmlinuz, real System.map) are there. */
    usable: boolean;
    /** Usable: what would be read; else what is missing. */
    detail: string;
}

/**
 * Arguments of klp.convert and klp.check: the URIs (strings) of the modules (.ko) to process; none means
 * every module in the workspace.
 */
export type ModuleCommandArguments = string[];

/** One entry of the klp.convert / klp.check result (an array, one per module). */
export interface ModuleReport {
    module: string;
    /** klp.convert: whether the module was converted (false: error findings blocked it). */
    converted?: boolean;
    /** klp.convert: the file written, or null when the module was already converted. */
    written?: string | null;
    symbolsConverted?: number;
    errors?: number;
    warnings?: number;
    /** Each finding once, with the kernels it holds in. */
    findings?: { code: string; severity: string; message: string; kernels?: string[] }[];
    /** Per kernel: its name and what happened there (klp.check sets kernel, errors and warnings). */
    kernels?: {
        kernel: string;
        converted?: boolean;
        written?: string | null;
        symbolsConverted?: number;
        errors?: number;
        warnings?: number;
    }[];
    /** Why the module could not be processed at all. */
    error?: string;
}
