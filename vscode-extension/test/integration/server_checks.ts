// SPDX-License-Identifier: GPL-2.0-only
// Checks against the real language server on testdata/workspaces/ambiguous (the workspace folder) with the
// fixture kernel (../fixture-kernel, built by ci-test.sh): status, diagnostics, hover, quick fix, convert.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ModuleReport } from '../../src/lsp_ext';
import type { KlpExtensionApi } from '../../src/main';
import { assert, saveAsAUserWould, Suite, waitFor } from './harness';

const SOURCE = 'livepatch.c';
const MODULE = path.join('build', 'livepatch.ko');
const SYMBOL = 'irq_thread_check';

export async function serverChecks(suite: Suite, _extension: vscode.Extension<KlpExtensionApi>, api: KlpExtensionApi): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
        await suite.check('a workspace folder is open', async () => { throw new Error('no workspace folder'); });
        return;
    }
    const sourceUri = vscode.Uri.joinPath(folder.uri, SOURCE);
    const modulePath = path.join(folder.uri.fsPath, MODULE);

    const started = await suite.check('language server starts (java -jar klp-lsp.jar serve)', async () => {
        const phase = await waitFor('the server to run', () => {
            const current = api.status.snapshot.phase;
            return current === 'starting' ? undefined : current;
        }, 30000);
        assert(phase === 'running', `server phase: ${phase}; ${api.status.snapshot.text}`);
        return api.status.snapshot.text;
    });
    if (!started) {
        return;
    }

    await suite.check('status bar: kernel index ready with its symbol count', async () => {
        const ready = await waitFor('index ready', () => {
            const index = api.status.snapshot.index;
            return index && index.state !== 'indexing' ? index : undefined;
        }, 60000);
        assert(ready.state === 'ready', `index state ${ready.state}: ${ready.message ?? ''}`);
        assert((ready.symbols ?? 0) > 0, `symbol count ${ready.symbols}`);
        assert(/klp: .* · [\d,]+ symbols/.test(api.status.snapshot.text), `status text: ${api.status.snapshot.text}`);
        return api.status.snapshot.text;
    });

    const document = await vscode.workspace.openTextDocument(sourceUri);
    await vscode.window.showTextDocument(document);
    const isAmbiguous = (d: vscode.Diagnostic) => d.source === 'klp' && codeOf(d) === 'ambiguous-symbol';
    let ambiguous: vscode.Diagnostic | undefined;

    await suite.check('diagnostic: ambiguous-symbol on the extern declaration, with both candidates', async () => {
        ambiguous = await waitFor('the ambiguous-symbol diagnostic',
            () => vscode.languages.getDiagnostics(sourceUri).find(isAmbiguous), 30000);
        const line = document.lineAt(ambiguous.range.start.line).text;
        assert(line.includes(`extern int ${SYMBOL}(int irq);`), `diagnostic on line ${ambiguous.range.start.line + 1}: ${line}`);
        assert(document.getText(ambiguous.range) === SYMBOL, `range covers "${document.getText(ambiguous.range)}"`);
        assert(ambiguous.severity === vscode.DiagnosticSeverity.Error, `severity ${ambiguous.severity}`);
        assert(ambiguous.message.startsWith(`${SYMBOL} is ambiguous`), `message: ${ambiguous.message}`);
        const target = typeof ambiguous.code === 'object' ? String(ambiguous.code.target) : '';
        assert(target.endsWith('diagnostics.md#ambiguous-symbol'), `code description: ${target}`);
        const related = (ambiguous.relatedInformation ?? []).map((info) => info.message);
        assert(related.length === 2, `related information: ${JSON.stringify(related)}`);
        assert(related.some((m) => m.includes('manage.c')) && related.some((m) => m.includes('chip.c')), `candidates: ${related.join(' | ')}`);
        return `${ambiguous.message.split('\n')[0]} [line ${ambiguous.range.start.line + 1}]`;
    });

    await suite.check('hover: table of candidates with sympos and source files', async () => {
        const position = ambiguous?.range.start ?? positionOf(document, `extern int ${SYMBOL}`, 'extern int '.length);
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', sourceUri, position);
        const text = hovers.flatMap((hover) => hover.contents.map((c) => typeof c === 'string' ? c : c.value)).join('\n');
        for (const part of ['sympos', 'manage.c', 'chip.c', 'vmlinux']) {
            assert(text.includes(part), `hover lacks "${part}": ${text}`);
        }
        return text.split('\n').find((l) => l.includes('manage.c'))?.trim();
    });

    await suite.check('quick fix: one action per candidate; applying sympos 2 clears the error', async () => {
        assert(ambiguous, 'no diagnostic to fix');
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider',
            sourceUri, ambiguous.range, vscode.CodeActionKind.QuickFix.value);
        const titles = actions.map((a) => a.title);
        const choice = actions.find((a) => a.title.startsWith('sympos 2'));
        assert(actions.filter((a) => /^sympos \d/.test(a.title)).length === 2, `actions: ${JSON.stringify(titles)}`);
        assert(choice?.edit, `no "sympos 2" action with an edit: ${JSON.stringify(titles)}`);
        assert(choice.title.includes('chip.c'), `sympos 2 is not chip.c's: ${choice.title}`);
        assert(await vscode.workspace.applyEdit(choice.edit), 'workspace.applyEdit refused the edit');
        const fixed = `KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, ${SYMBOL}, 2)`;
        assert(document.getText().includes(fixed), `the document lacks ${fixed}`);
        await waitFor('the ambiguous-symbol diagnostic to clear',
            () => !vscode.languages.getDiagnostics(sourceUri).some(isAmbiguous), 15000);
        const firstSave = await saveAsAUserWould(document, () => `; on disk: ${
            fs.readFileSync(sourceUri.fsPath, 'utf8').includes(fixed) ? 'the fix' : 'without the fix'}`);
        return `${choice.title}${firstSave ? '' : ' (saved on the second try)'}`;
    });

    await suite.check('Convert Module: the rebuilt module gets KLP relocations for the pinned symbol', async () => {
        // Build as a user would after the fix (make, in the workspace), then convert on demand.
        execFileSync('make', ['-s'], { cwd: folder.uri.fsPath, stdio: 'pipe', timeout: 60000 });
        assert(!fs.readFileSync(modulePath).includes('.klp.rela.'), 'the freshly built module already has KLP relocations');
        const result = await vscode.commands.executeCommand<unknown>('klp-lsp.convertModule', vscode.Uri.file(modulePath));
        assert(Array.isArray(result) && result.length === 1, `result: ${JSON.stringify(result)}`);
        const report = result[0] as ModuleReport;
        assert(!report.error && report.converted === true, `not converted: ${JSON.stringify(report)}`);
        assert(report.written === modulePath, `written ${report.written}, expected ${modulePath} (klp.output inPlace)`);
        assertConverted(fs.readFileSync(modulePath));
        return `${report.symbolsConverted} symbol(s) converted, wrote ${report.written}`;
    });

    await suite.check('Check Module: the converted module has no error findings', async () => {
        const result = await vscode.commands.executeCommand<unknown>('klp-lsp.checkModule', vscode.Uri.file(modulePath));
        assert(Array.isArray(result) && result.length === 1, `result: ${JSON.stringify(result)}`);
        const report = result[0] as ModuleReport;
        assert(!report.error && report.errors === 0, `check: ${JSON.stringify(report)}`);
        return `${report.errors} error(s), ${report.warnings} warning(s)`;
    });

    await suite.check('convert on save: the user\'s build command runs, then the module is converted', async () => {
        await vscode.workspace.getConfiguration('klp').update('convertOnSave', true, vscode.ConfigurationTarget.Workspace);
        const before = fs.statSync(modulePath).mtimeMs;
        const editor = await vscode.window.showTextDocument(document);
        await editor.edit((edit) => edit.insert(new vscode.Position(document.lineCount, 0), '/* saved to convert */\n'));
        await saveAsAUserWould(document);
        const converted = await waitFor('the module rebuilt and converted after the save', () => {
            const stat = fs.statSync(modulePath);
            if (stat.mtimeMs <= before) {
                return undefined;
            }
            const bytes = fs.readFileSync(modulePath);
            return bytes.includes('.klp.rela.') ? bytes : undefined;
        }, 60000, 250);
        assertConverted(converted);
        assert(fs.statSync(path.join(folder.uri.fsPath, 'build', 'livepatch.o')).mtimeMs > before,
            'build/livepatch.o was not rebuilt: the build command did not run');
        return `rebuilt by "make -s" and converted: ${modulePath}`;
    });
}

export async function statusChecks(suite: Suite, api: KlpExtensionApi): Promise<void> {
    await suite.check('Rebuild Kernel Index: the server re-indexes with progress and is ready again', async () => {
        const runs = api.status.snapshot.progressRuns;
        const result = await vscode.commands.executeCommand<unknown>('klp-lsp.rebuildIndex');
        assert(!(result as { error?: string } | undefined)?.error, `reindex: ${JSON.stringify(result)}`);
        await waitFor('a new indexing progress run', () => api.status.snapshot.progressRuns > runs, 30000);
        await waitFor('the index to be ready again', () => api.status.snapshot.index?.state === 'ready'
            && /symbols/.test(api.status.snapshot.text), 30000);
        return `${JSON.stringify(result)}; ${api.status.snapshot.text}`;
    });

    await suite.check('Restart Server: a new server process runs and answers', async () => {
        const before = api.server.languageClient;
        await vscode.commands.executeCommand('klp-lsp.restartServer');
        assert(api.status.snapshot.phase === 'running', `phase after restart: ${api.status.snapshot.phase}`);
        const after = api.server.languageClient;
        assert(after && after !== before, 'the old client is still in use');
        const folder = vscode.workspace.workspaceFolders![0];
        const position = positionOf(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, SOURCE)),
            `extern int ${SYMBOL}`, 'extern int '.length);
        const hovers = await waitFor('a hover from the new server', async () => {
            const result = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider',
                vscode.Uri.joinPath(folder.uri, SOURCE), position);
            return result.length > 0 ? result : undefined;
        }, 30000, 500);
        return `${hovers.length} hover(s) after the restart`;
    });

    // Last: once a klp/indexStatus arrived, it (not the progress fallback) drives the item.
    await suite.check('status bar renders klp/indexStatus (indexing, ready with count, error)', async () => {
        api.status.setIndexStatus({ state: 'indexing', kernel: '6.1.0-56-amd64', message: 'reading vmlinux' });
        assert(/indexing/.test(api.status.snapshot.text) && api.status.snapshot.text.includes('6.1.0-56-amd64'), api.status.snapshot.text);
        api.status.setIndexStatus({ state: 'ready', kernel: '6.1.0-56-amd64', symbols: 153204 });
        assert(api.status.snapshot.text.endsWith('klp: 6.1.0-56-amd64 · 153,204 symbols'), api.status.snapshot.text);
        api.status.setIndexStatus({ state: 'error', kernel: '6.1.0-56-amd64', message: 'no System.map' });
        assert(api.status.snapshot.text.endsWith('klp: 6.1.0-56-amd64 index error'), api.status.snapshot.text);
        api.status.setIndexStatus({ state: 'error', message: 'No kernel configured: set "kernel"' });
        assert(api.status.snapshot.text.endsWith('klp: no kernel'), api.status.snapshot.text);
        return api.status.snapshot.text;
    });

    await suite.check('status bar: the release the index found, the kernel as configured in the tooltip', async () => {
        const kernel = '/srv/kernels/debian/kallsyms, targets/, Module.symvers';
        api.status.setIndexStatus({ state: 'ready', kernel, release: '6.1.0-56-amd64', symbols: 94296,
            message: 'release 6.1.0-56-amd64, loaded from cache' });
        const { text, tooltip } = api.status.snapshot;
        assert(text.endsWith('klp: 6.1.0-56-amd64 · 94,296 symbols'), text);
        assert(!text.includes('kallsyms'), `paths in the status text: ${text}`);
        for (const part of ['94,296', 'Release: 6.1.0-56-amd64', `Kernel setting: ${kernel}`, 'loaded from cache']) {
            assert(tooltip.includes(part), `tooltip lacks "${part}": ${tooltip}`);
        }
        return `${text} | ${tooltip.replace(/\s+/g, ' ').slice(0, 160)}`;
    });

    await suite.check('status bar: several kernels are "N kernels", their names in the tooltip', async () => {
        const names = ['6.1.0-56-amd64', 'old', 'kernel-next'];
        api.status.setIndexStatus({ state: 'ready', kernel: '3 kernels', kernels: names, symbols: 283012,
            message: `3 kernels: ${names.join(', ')}; indexed` });
        const { text, tooltip } = api.status.snapshot;
        assert(text.endsWith('klp: 3 kernels · 283,012 symbols'), text);
        assert(tooltip.includes(`Kernels: ${names.join(', ')}`), `tooltip lacks the kernels: ${tooltip}`);
        // A list alone (no label) still counts the kernels; a list of one is that one kernel.
        api.status.setIndexStatus({ state: 'ready', kernels: ['a', 'b'], symbols: 30 });
        assert(api.status.snapshot.text.endsWith('klp: 2 kernels · 30 symbols'), api.status.snapshot.text);
        api.status.setIndexStatus({ state: 'ready', kernel: '6.1.0-56-amd64', kernels: ['6.1.0-56-amd64'], symbols: 15 });
        assert(api.status.snapshot.text.endsWith('klp: 6.1.0-56-amd64 · 15 symbols'), api.status.snapshot.text);
        return `${text} | ${tooltip.replace(/\s+/g, ' ').slice(0, 160)}`;
    });
}

/** The kernel's names: a .klp.rela.<obj>.<section> section against .klp.sym.<obj>.<name>,<sympos>. */
function assertConverted(bytes: Buffer): void {
    assert(bytes.includes('.klp.rela.vmlinux.'), 'the module has no .klp.rela.vmlinux.* section');
    const symbol = `.klp.sym.vmlinux.${SYMBOL},2`;
    assert(bytes.includes(symbol), `the module lacks the symbol ${symbol}`);
}

function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
    const code = diagnostic.code;
    if (code === undefined) {
        return undefined;
    }
    return typeof code === 'object' ? String(code.value) : String(code);
}

function positionOf(document: vscode.TextDocument, text: string, offsetInText: number): vscode.Position {
    const index = document.getText().indexOf(text);
    assert(index >= 0, `"${text}" not in ${document.fileName}`);
    return document.positionAt(index + offsetInText);
}
