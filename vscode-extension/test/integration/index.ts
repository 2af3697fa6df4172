// SPDX-License-Identifier: GPL-2.0-only
// Integration tests, run inside a real VS Code extension host (test/harness/run-integration.mjs).
// The verdict goes to $EXT_TEST_RESULT. KLP_TEST_LEVEL=harness runs only the checks that need no
// language-server features (used while the server was being written); =untrusted runs the restricted-mode
// checks (the runner opens the folder untrusted).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { KlpExtensionApi } from '../../src/main';
import { Suite } from './harness';
import { extensionChecks } from './extension_checks';
import { serverChecks, statusChecks } from './server_checks';
import { untrustedChecks } from './untrusted_checks';

export async function run(): Promise<void> {
    const verdictFile = process.env.EXT_TEST_RESULT ?? path.join(os.tmpdir(), 'klp-ext-test-verdict.json');
    const suite = new Suite();
    try {
        const extension = vscode.extensions.getExtension<KlpExtensionApi>('klp-lsp.klp-lsp');
        let api: KlpExtensionApi | undefined;
        await suite.check('extension is installed and activates', async () => {
            if (!extension) {
                throw new Error('klp-lsp.klp-lsp is not among the extensions');
            }
            api = await extension.activate();
            return `from ${extension.extensionPath}`;
        });
        if (extension && api && process.env.KLP_TEST_LEVEL === 'untrusted') {
            await untrustedChecks(suite, api);
        } else if (extension && api) {
            await extensionChecks(suite, extension);
            if (process.env.KLP_TEST_LEVEL === 'harness') {
                suite.skip('language server features', 'KLP_TEST_LEVEL=harness');
            } else {
                await serverChecks(suite, extension, api);
                await statusChecks(suite, api);
            }
        }
    } catch (error) {
        suite.results.push({ name: 'suite', ok: false, ms: 0, detail: `suite crashed: ${String(error)}` });
    } finally {
        const out = process.env.KLP_TEST_OUT;
        if (out) {
            fs.mkdirSync(out, { recursive: true });
        }
        suite.writeVerdict(verdictFile);
    }
}
