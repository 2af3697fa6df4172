// SPDX-License-Identifier: GPL-2.0-only
// The extension's commands. Module commands forward to the server's workspace/executeCommand.
import * as vscode from 'vscode';
import * as lc from 'vscode-languageclient/node';
import type { Server } from './client';
import { SECTION } from './config';
import { InstalledKernel, ModuleCommandArguments, ModuleReport, SERVER_COMMANDS } from './lsp_ext';
import { newLivepatch } from './new_livepatch';

export const COMMANDS = {
    convertModule: 'klp-lsp.convertModule',
    checkModule: 'klp-lsp.checkModule',
    rebuildIndex: 'klp-lsp.rebuildIndex',
    showOutput: 'klp-lsp.showOutput',
    restartServer: 'klp-lsp.restartServer',
    newLivepatch: 'klp-lsp.newLivepatch',
    showMenu: 'klp-lsp.showMenu',
    pickKernel: 'klp-lsp.pickKernel',
    turnOnConvertOnSave: 'klp-lsp.turnOnConvertOnSave',
    getStarted: 'klp-lsp.getStarted',
} as const;

/** The walkthrough, as `workbench.action.openWalkthrough` names it: `<publisher>.<name>#<id>`. */
export const WALKTHROUGH = 'klp-lsp.klp-lsp#gettingStarted';

export function registerCommands(context: vscode.ExtensionContext, server: Server): void {
    const register = (id: string, run: (...args: any[]) => unknown) =>
        context.subscriptions.push(vscode.commands.registerCommand(id, run));

    register(COMMANDS.convertModule, (uri?: vscode.Uri) => runModuleCommand(server, SERVER_COMMANDS.convert, 'Convert', uri));
    register(COMMANDS.checkModule, (uri?: vscode.Uri) => runModuleCommand(server, SERVER_COMMANDS.check, 'Check', uri));
    register(COMMANDS.rebuildIndex, () => executeOnServer(server, SERVER_COMMANDS.reindex, [], 'Rebuild Kernel Index'));
    register(COMMANDS.showOutput, () => server.output.show(true));
    register(COMMANDS.restartServer, () => server.restart());
    register(COMMANDS.newLivepatch, (uri?: vscode.Uri) => newLivepatch(context, uri));
    register(COMMANDS.showMenu, () => showMenu(server));
    register(COMMANDS.pickKernel, () => pickKernel(server));
    register(COMMANDS.turnOnConvertOnSave, () => turnOnConvertOnSave());
    register(COMMANDS.getStarted, () => vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false));
}

/** The command's target: the explorer/editor resource it was invoked on, else the active C file. */
function targetOf(uri: vscode.Uri | undefined): vscode.Uri | undefined {
    if (uri instanceof vscode.Uri) {
        return uri;
    }
    return vscode.window.activeTextEditor?.document.uri;
}

async function runModuleCommand(server: Server, command: string, title: string, uri?: vscode.Uri): Promise<unknown> {
    const target = targetOf(uri);
    if (target) {
        // Convert what is on disk: save the source first, as a build would.
        const document = vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === target.toString());
        if (document?.isDirty) {
            await document.save();
        }
    }
    // A module (.ko) is named; from a source file the server takes the workspace's modules.
    const args: ModuleCommandArguments = target && /\.ko(\.(xz|zst|gz))?$/.test(target.path) ? [target.toString()] : [];
    return executeOnServer(server, command, args, `${title} Module`);
}

/**
 * Runs a server command and tells the user what came of it. Returns the server's result (the tests read
 * it), or {error} when the request failed.
 */
async function executeOnServer(server: Server, command: string, args: unknown[], title: string): Promise<unknown> {
    const client = server.languageClient;
    if (!client) {
        void vscode.window.showErrorMessage(`${title}: the klp-lsp server is not running. Run "Kernel Livepatch: Restart Server".`);
        return { error: 'the server is not running' };
    }
    try {
        const result = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Window, title: `klp: ${title}` },
            () => client.sendRequest(lc.ExecuteCommandRequest.type, { command, arguments: args }),
        );
        report(server, title, result);
        return result;
    } catch (error) {
        const message = error instanceof lc.ResponseError ? error.message : String(error);
        server.output.appendLine(`[klp-lsp] ${title} failed: ${message}`);
        void vscode.window.showErrorMessage(`${title} failed: ${message}`, 'Show Output').then((choice) => {
            if (choice) {
                server.output.show(true);
            }
        });
        return { error: message };
    }
}

/** One line per module; problems as a warning with the way to the details. */
function report(server: Server, title: string, result: unknown): void {
    if (typeof result === 'string' && result !== '') {
        void vscode.window.showInformationMessage(`${title}: ${result}`);
        return;
    }
    if (!Array.isArray(result)) {
        const message = (result as { message?: unknown } | null)?.message;
        if (typeof message === 'string' && message !== '') {
            void vscode.window.showInformationMessage(`${title}: ${message}`);
        }
        return;
    }
    const reports = result as ModuleReport[];
    if (reports.length === 0) {
        void vscode.window.showWarningMessage(`${title}: no module (.ko) found in the workspace; build it first.`);
        return;
    }
    const lines = reports.map(describeReport);
    const failed = reports.some((r) => r.error || (r.errors ?? 0) > 0 || r.converted === false);
    lines.forEach((line) => server.output.appendLine(`[klp-lsp] ${title}: ${line}`));
    if (failed) {
        void vscode.window.showWarningMessage(`${title}: ${lines.join('; ')}`, 'Show Problems').then((choice) => {
            if (choice) {
                void vscode.commands.executeCommand('workbench.actions.view.problems');
            }
        });
    } else {
        void vscode.window.showInformationMessage(`${title}: ${lines.join('; ')}`);
    }
}

function describeReport(entry: ModuleReport): string {
    const name = entry.module.split('/').pop() ?? entry.module;
    if (entry.error) {
        return `${name}: ${entry.error}`;
    }
    const counts = `${entry.errors ?? 0} error(s), ${entry.warnings ?? 0} warning(s)`;
    if (entry.converted === undefined) {
        return `${name}: ${counts}`;
    }
    if (!entry.converted) {
        return `${name}: not converted, ${counts}`;
    }
    const symbols = entry.symbolsConverted !== undefined ? `${entry.symbolsConverted} symbol(s) converted, ` : '';
    return entry.written
        ? `${name}: ${symbols}wrote ${vscode.workspace.asRelativePath(entry.written)}`
        : `${name}: already converted, unchanged`;
}

async function showMenu(server: Server): Promise<void> {
    const running = server.languageClient !== undefined;
    const items: (vscode.QuickPickItem & { command: string })[] = [
        ...(running ? [
            { label: '$(gear) Convert Module', description: 'the workspace’s modules', command: COMMANDS.convertModule },
            { label: '$(checklist) Check Module', command: COMMANDS.checkModule },
            { label: '$(database) Rebuild Kernel Index', command: COMMANDS.rebuildIndex },
        ] : []),
        { label: '$(output) Show Output', command: COMMANDS.showOutput },
        { label: '$(debug-restart) Restart Server', command: COMMANDS.restartServer },
        { label: '$(new-file) New Livepatch…', command: COMMANDS.newLivepatch },
        { label: '$(server-environment) Pick Kernel…', command: COMMANDS.pickKernel },
        { label: '$(book) Get Started', command: COMMANDS.getStarted },
        { label: '$(settings-gear) Settings', command: 'workbench.action.openSettings' },
    ];
    const status = server.status.snapshot;
    const choice = await vscode.window.showQuickPick(items, {
        title: `Kernel Livepatch — ${status.text.replace(/\$\([^)]*\)\s*/g, '')}`,
        placeHolder: 'klp-lsp command',
    });
    if (choice) {
        await vscode.commands.executeCommand(choice.command, ...(choice.command === 'workbench.action.openSettings' ? ['klp.'] : []));
    }
}

/**
 * Sets `klp.kernel` (workspace settings, else user settings) to a kernel the server found installed (klp.kernels:
 * releases under /lib/modules and /usr/lib/debug, each with whether it can be indexed) or one the user browses to.
 * Returns the value set, or undefined when nothing was picked.
 */
async function pickKernel(server: Server): Promise<string | undefined> {
    type Item = vscode.QuickPickItem & { kernel?: string };
    const client = server.languageClient;
    let installed: InstalledKernel[] = [];
    if (client) {
        try {
            installed = await client.sendRequest(lc.ExecuteCommandRequest.type,
                { command: SERVER_COMMANDS.kernels, arguments: [] }) as InstalledKernel[];
        } catch (error) {
            server.output.appendLine(`[klp-lsp] listing the installed kernels failed: ${String(error)}`);
        }
    }
    const items: Item[] = installed.map((entry) => ({
        label: `$(${entry.usable ? 'check' : 'warning'}) ${entry.kernel}`,
        description: [entry.running ? 'running' : '', entry.usable ? '' : 'cannot be indexed'].filter(Boolean).join(', '),
        detail: entry.detail,
        kernel: entry.kernel,
    }));
    items.push({ label: '$(folder-opened) Browse…', detail: 'a kernel build tree, a root holding boot/ and lib/modules/, or an image package (.deb)' });
    const choice = await vscode.window.showQuickPick(items, {
        title: 'Kernel Livepatch: the kernel you patch',
        placeHolder: client ? (installed.length ? 'an installed kernel, or browse' : 'no kernels found installed; browse for one')
            : 'the server is not running: browse for a kernel',
        matchOnDetail: true,
    });
    if (!choice) {
        return undefined;
    }
    let kernel = choice.kernel;
    if (kernel === undefined) {
        const picked = await vscode.window.showOpenDialog({
            title: 'Kernel build tree, root or image package',
            canSelectFiles: true, canSelectFolders: true, canSelectMany: false, openLabel: 'Use This Kernel',
        });
        kernel = picked?.[0]?.fsPath;
        if (kernel === undefined) {
            return undefined;
        }
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    const target = folder ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration(SECTION, folder?.uri).update('kernel', kernel, target);
    void vscode.window.showInformationMessage(`klp.kernel is now ${kernel} (${folder ? 'workspace' : 'user'} settings).`);
    return kernel;
}

/** Sets klp.convertOnSave in the workspace settings and says what else it needs. */
async function turnOnConvertOnSave(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const config = vscode.workspace.getConfiguration(SECTION, folder?.uri);
    await config.update('convertOnSave', true, folder ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
    const build = config.inspect<string | null>('buildCommand')?.globalValue;
    const how = build ? `after each save "${build}" runs, then the module is converted`
        : 'a module rebuilt outside the editor is converted; set "klp.buildCommand" in your user settings to build on save';
    const notTrusted = vscode.workspace.isTrusted ? '' : ' It stays off until you trust this workspace.';
    // Not awaited: the command is done when the setting is, whatever the user does with the message.
    void vscode.window.showInformationMessage(`Convert on save is on: ${how}.${notTrusted}`,
        ...(build ? [] : ['Set Build Command'])).then((choice) => {
        if (choice) {
            void vscode.commands.executeCommand('workbench.action.openSettings', 'klp.buildCommand');
        }
    });
}
