// SPDX-License-Identifier: GPL-2.0-only
// Checks against the real language server: diagnostics, hover, quick fix, convert.
import * as vscode from 'vscode';
import type { KlpExtensionApi } from '../../src/main';
import { assert, Suite, waitFor } from './harness';

export async function serverChecks(suite: Suite, _extension: vscode.Extension<KlpExtensionApi>, api: KlpExtensionApi): Promise<void> {
    await suite.check('language server starts (java -jar klp-lsp.jar serve)', async () => {
        await waitFor('the server to run', () => api.status.snapshot.phase === 'running' || api.status.snapshot.phase === 'failed'
            || api.status.snapshot.phase === 'noJava', 30000);
        assert(api.status.snapshot.phase === 'running', `server phase: ${api.status.snapshot.phase}`);
        return api.status.snapshot.text;
    });
}
