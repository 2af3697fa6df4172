// SPDX-License-Identifier: GPL-2.0-only
// Starts the language server (`java -jar klp-lsp.jar serve`) and wires its notifications to the UI.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import * as lc from 'vscode-languageclient/node';
import { launchSettings, SECTION, serverSettings, serverSettingsUpdate } from './config';
import { describeMissingJava, findJava } from './java';
import { archiveArgs, archivePath, createArchive, SERVER_JVM_ARGS } from './jvm';
import { indexStatus } from './lsp_ext';
import { StatusItem } from './status';

const RUNNING_CONTEXT = 'klp-lsp.serverRunning';

/** Owns at most one running LanguageClient; `restart()` replaces it. */
export class Server implements vscode.Disposable {
    private client: lc.LanguageClient | undefined;
    private clientSubscriptions: vscode.Disposable[] = [];
    readonly output: vscode.LogOutputChannel;
    readonly traceOutput: vscode.LogOutputChannel;

    constructor(private readonly context: vscode.ExtensionContext, readonly status: StatusItem) {
        this.output = vscode.window.createOutputChannel('klp-lsp', { log: true });
        this.traceOutput = vscode.window.createOutputChannel('klp-lsp Trace', { log: true });
    }

    get languageClient(): lc.LanguageClient | undefined {
        return this.client?.isRunning() ? this.client : undefined;
    }

    async start(): Promise<void> {
        this.status.setPhase('starting');
        const launch = launchSettings();
        const jar = path.resolve(launch.serverJar ?? path.join(this.context.extensionPath, 'server', 'klp-lsp.jar'));
        if (!fs.existsSync(jar)) {
            return this.fail('failed', `The language server jar is missing: ${jar}. ` +
                'Reinstall the extension (the .vsix ships it) or point "klp.server.jar" at a built klp-lsp.jar.');
        }
        const java = await findJava(launch.javaHome);
        if (!java.ok) {
            return this.fail('noJava', describeMissingJava(java.rejected));
        }
        for (const rejected of java.rejected) {
            this.output.appendLine(`[klp-lsp] skipped Java from ${rejected.origin} (${rejected.executable}): ${rejected.problem}`);
        }
        this.output.appendLine(`[klp-lsp] Java ${java.runtime.version} from ${java.runtime.origin}: ${java.runtime.executable}`);
        this.output.appendLine(`[klp-lsp] server: ${jar}`);

        const archive = archivePath(this.context.globalStorageUri.fsPath, java.runtime.executable, java.runtime.version, jar);
        const executable: lc.Executable = {
            command: java.runtime.executable,
            args: [...SERVER_JVM_ARGS, ...archiveArgs(archive), ...launch.extraJvmArgs, '-jar', jar, 'serve'],
            options: { cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath },
        };
        const client = new lc.LanguageClient('klp', 'klp-lsp', { run: executable, debug: executable }, this.clientOptions());
        this.client = client;
        this.clientSubscriptions.push(client.onDidChangeState((event) => this.onStateChange(event.newState)));
        this.clientSubscriptions.push(client.onNotification(indexStatus, (params) => this.status.setIndexStatus(params)));
        try {
            await client.start();
        } catch (error) {
            this.output.appendLine(`[klp-lsp] the server did not start: ${String(error)}`);
            return this.fail('failed', `The klp-lsp language server did not start: ${String(error)}. See "Kernel Livepatch: Show Output".`);
        }
        if (archiveArgs(archive).length === 0) {
            // For the next start: the server starts faster with the jar's classes already parsed and verified.
            void createArchive(java.runtime.executable, jar, archive).then((problem) => this.output.appendLine(problem
                ? `[klp-lsp] no class-data archive (the server starts without one): ${problem}`
                : `[klp-lsp] class-data archive for the next start: ${archive}`));
        }
    }

    private clientOptions(): lc.LanguageClientOptions {
        const status = this.status;
        return {
            documentSelector: [{ scheme: 'file', language: 'c' }],
            outputChannel: this.output,
            traceOutputChannel: this.traceOutput,
            initializationOptions: () => ({ ...serverSettings(), client: 'vscode' }),
            synchronize: {
                fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.ko,.klp-lsp.json}'),
            },
            initializationFailedHandler: (error) => {
                this.output.appendLine(`[klp-lsp] initialize failed: ${String(error)}`);
                return false;
            },
            errorHandler: new BoundedRestarts(this.output),
            middleware: {
                workspace: {
                    // Answer `klp` sections with the trust-filtered settings, never raw workspace values.
                    configuration: (params, token, next) => {
                        if (!params.items.some((item) => item.section?.startsWith(SECTION))) {
                            return next(params, token);
                        }
                        return params.items.map((item) => {
                            const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
                            return configurationFor(item.section, serverSettingsUpdate(scope));
                        });
                    },
                },
                handleWorkDoneProgress: (token, params, next) => {
                    status.onWorkDoneProgress(params);
                    next(token, params);
                },
            },
        };
    }

    /** Pushes the current settings (after a settings change or a trust grant). */
    async sendSettings(): Promise<void> {
        const client = this.languageClient;
        if (client) {
            await client.sendNotification(lc.DidChangeConfigurationNotification.type,
                { settings: { [SECTION]: serverSettingsUpdate() } });
        }
    }

    async restart(): Promise<void> {
        await this.stop();
        await this.start();
    }

    async stop(): Promise<void> {
        const client = this.client;
        this.client = undefined;
        this.clientSubscriptions.forEach((subscription) => subscription.dispose());
        this.clientSubscriptions = [];
        if (client) {
            try {
                await client.dispose(5000);
            } catch (error) {
                this.output.appendLine(`[klp-lsp] stopping the server: ${String(error)}`);
            }
        }
        void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, false);
    }

    private onStateChange(state: lc.State): void {
        const running = state === lc.State.Running;
        void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, running);
        if (running) {
            this.status.setPhase('running');
        } else if (state === lc.State.Stopped) {
            this.status.setPhase('stopped', 'The language server stopped. Run "Kernel Livepatch: Restart Server"; "Show Output" has its log.');
        }
    }

    private fail(phase: 'noJava' | 'failed', message: string): void {
        this.output.appendLine(`[klp-lsp] ${message}`);
        this.status.setPhase(phase, message);
        void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, false);
        // One message per start attempt; the server is not retried until the user asks.
        void vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output').then((choice) => {
            if (choice === 'Open Settings') {
                void vscode.commands.executeCommand('workbench.action.openSettings', phase === 'noJava' ? 'klp.java.home' : 'klp.server');
            } else if (choice === 'Show Output') {
                this.output.show(true);
            }
        });
    }

    dispose(): void {
        void this.stop();
        this.output.dispose();
        this.traceOutput.dispose();
    }
}

function configurationFor(section: string | undefined, settings: Record<string, unknown>): unknown {
    if (section === SECTION) {
        return settings;
    }
    if (section?.startsWith(SECTION + '.')) {
        return settings[section.slice(SECTION.length + 1)] ?? null;
    }
    return null;
}

/** Restart a crashed server at most 3 times in 3 minutes, then stop and say so once. */
class BoundedRestarts implements lc.ErrorHandler {
    private readonly restarts: number[] = [];

    constructor(private readonly output: vscode.OutputChannel) {}

    error(): lc.ErrorHandlerResult {
        return { action: lc.ErrorAction.Continue };
    }

    closed(): lc.CloseHandlerResult {
        const now = Date.now();
        this.restarts.push(now);
        while (this.restarts.length > 0 && now - this.restarts[0] > 3 * 60 * 1000) {
            this.restarts.shift();
        }
        if (this.restarts.length > 3) {
            const message = 'The klp-lsp server stopped 4 times in 3 minutes and will not be restarted. ' +
                'See "Kernel Livepatch: Show Output", then run "Kernel Livepatch: Restart Server".';
            this.output.appendLine(`[klp-lsp] ${message}`);
            return { action: lc.CloseAction.DoNotRestart, message };
        }
        return { action: lc.CloseAction.Restart, handled: true };
    }
}
