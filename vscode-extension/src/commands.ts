// SPDX-License-Identifier: GPL-2.0-only
// The extension's commands. Module commands forward to the server's workspace/executeCommand.
import * as vscode from 'vscode';
import * as lc from 'vscode-languageclient/node';
import type { Server } from './client';
import { ModuleCommandArguments, ModuleReport, SERVER_COMMANDS } from './lsp_ext';
import { newLivepatch } from './new_livepatch';

export const COMMANDS = {
    convertModule: 'klp-lsp.convertModule',
    checkModule: 'klp-lsp.checkModule',
    rebuildIndex: 'klp-lsp.rebuildIndex',
    showOutput: 'klp-lsp.showOutput',
    restartServer: 'klp-lsp.restartServer',
    newLivepatch: 'klp-lsp.newLivepatch',
    showMenu: 'klp-lsp.showMenu',
} as const;

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
