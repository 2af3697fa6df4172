// SPDX-License-Identifier: GPL-2.0-only
// Restricted mode (an untrusted workspace): the extension still runs the server and shows diagnostics, but
// tells it that nothing may be built or converted on save, whatever the settings say.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { serverSettings } from '../../src/config';
import type { KlpExtensionApi } from '../../src/main';
import { assert, saveAsAUserWould, Suite, waitFor } from './harness';

export async function untrustedChecks(suite: Suite, api: KlpExtensionApi): Promise<void> {
    await suite.check('untrusted workspace: no build command, no convert on save, told to the server', async () => {
        assert(!vscode.workspace.isTrusted, 'the workspace is trusted; this run needs it untrusted');
        const userBuild = vscode.workspace.getConfiguration('klp').inspect('buildCommand')?.globalValue;
        assert(userBuild, 'the test needs a klp.buildCommand in the user settings');
        const settings = serverSettings();
        assert(settings.workspaceTrusted === false, `workspaceTrusted: ${settings.workspaceTrusted}`);
        assert(settings.buildCommand === null, `buildCommand: ${settings.buildCommand}`);
        assert(settings.convertOnSave === false, `convertOnSave: ${settings.convertOnSave}`);
        return JSON.stringify(settings);
    });
    await suite.check('untrusted workspace: the server still gives diagnostics', async () => {
        await waitFor('the server to run', () => api.status.snapshot.phase === 'running', 30000);
        const folder = vscode.workspace.workspaceFolders?.[0];
        assert(folder, 'no workspace folder');
        const uri = vscode.Uri.joinPath(folder.uri, 'livepatch.c');
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
        const diagnostic = await waitFor('a klp diagnostic', () =>
            vscode.languages.getDiagnostics(uri).find((d) => d.source === 'klp'), 30000);
        return diagnostic.message.split('\n')[0];
    });
    await suite.check('untrusted workspace: saving runs no build and converts nothing', async () => {
        const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
        const object = path.join(folder, 'build', 'livepatch.o');
        const module = path.join(folder, 'build', 'livepatch.ko');
        const before = fs.statSync(object).mtimeMs;
        const editor = vscode.window.activeTextEditor;
        assert(editor, 'no editor');
        await editor.edit((edit) => edit.insert(new vscode.Position(editor.document.lineCount, 0), '/* saved */\n'));
        await saveAsAUserWould(editor.document);
        // Give a (wrongly) started build and conversion time to show up.
        await new Promise((resolve) => setTimeout(resolve, 5000));
        assert(fs.statSync(object).mtimeMs === before, 'build/livepatch.o was rebuilt: the build command ran');
        assert(!fs.readFileSync(module).includes('.klp.rela.'), 'the module was converted');
    });
}
