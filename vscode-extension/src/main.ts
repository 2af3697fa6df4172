// SPDX-License-Identifier: GPL-2.0-only
// Entry point: status bar, commands, the server, and reactions to settings and trust changes.
import * as vscode from 'vscode';
import { Server } from './client';
import { registerCommands } from './commands';
import { RESTART_KEYS, SECTION } from './config';
import { StatusItem } from './status';

/** What activate() returns: the integration tests drive and inspect the extension through it. */
export interface KlpExtensionApi {
    readonly server: Server;
    readonly status: StatusItem;
}

let running: Server | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<KlpExtensionApi> {
    const status = new StatusItem();
    const server = new Server(context, status);
    running = server;
    context.subscriptions.push(status, server);
    registerCommands(context, server);

    context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (event) => {
        if (RESTART_KEYS.some((key) => event.affectsConfiguration(key))) {
            const choice = await vscode.window.showInformationMessage(
                'klp-lsp: the Java or server setting changed; restart the server to use it.', 'Restart Server');
            if (choice) {
                await server.restart();
            }
        } else if (event.affectsConfiguration(SECTION)) {
            await server.sendSettings();
        }
    }));
    // Trust can only be granted while running: the server may now run the build command and convert on save.
    context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => server.sendSettings()));

    await server.start();
    return { server, status };
}

/** Waits for the server to shut down (shutdown + exit), so no Java process outlives the window. */
export function deactivate(): Promise<void> | undefined {
    return running?.stop();
}
