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
    /** The kernel in use, as the user named it (release or path). */
    kernel?: string;
}

export const indexStatus = new lc.NotificationType<IndexStatusParams>('klp/indexStatus');

/** `workspace/executeCommand` commands the server offers (issue 5). */
export const SERVER_COMMANDS = {
    convert: 'klp.convert',
    check: 'klp.check',
    reindex: 'klp.reindex',
} as const;

/**
 * Arguments the extension passes to klp.convert and klp.check: one object naming the file the user
 * chose (a .c source of the patch or the built .ko), or nothing for "the workspace's module".
 */
export interface ModuleCommandArguments {
    uri: string;
}
