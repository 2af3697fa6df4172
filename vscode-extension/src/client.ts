// SPDX-License-Identifier: GPL-2.0-only
// Starts the language server (`java -jar klp-lsp.jar serve`) and wires its notifications to the UI; a server
// that does not answer in time, or keeps dying, is stopped and explained in one notification.
import { ChildProcess, spawn } from 'child_process';
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
/** Lines of the server's stderr kept for a failure notification (the output channel has all of them). */
const STDERR_LINES_KEPT = 40;
const STDERR_LINES_SHOWN = 5;
/** Bytes of stdout kept until the server speaks LSP, to show what it wrote instead. */
const STDOUT_HEAD_BYTES = 2048;

/** Owns at most one running LanguageClient; `restart()` replaces it. */
export class Server implements vscode.Disposable {
    private client: lc.LanguageClient | undefined;
    private processes: ServerProcesses | undefined;
    /** Whether the current client got to run once: only then is a crash restarted (BoundedRestarts). */
    private clientRan = false;
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
        const processes = new ServerProcesses(java.runtime.executable,
            [...SERVER_JVM_ARGS, ...archiveArgs(archive), ...launch.extraJvmArgs, '-jar', jar, 'serve'],
            vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
        this.output.appendLine(`[klp-lsp] starting: ${processes.commandLine()}`);
        const client = new KlpLanguageClient('klp', 'klp-lsp', () => Promise.resolve(processes.spawn()),
            this.clientOptions(processes));
        this.client = client;
        this.processes = processes;
        this.clientRan = false;
        this.clientSubscriptions.push(client.onDidChangeState((event) => this.onStateChange(event.newState)));
        this.clientSubscriptions.push(client.onNotification(indexStatus, (params) => this.status.setIndexStatus(params)));

        const timeout = launch.startTimeoutSeconds;
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
            client.start().then(() => ({ kind: 'started' as const }), (error: unknown) => ({ kind: 'failed' as const, error })),
            new Promise<{ kind: 'timeout' }>((resolve) => { timer = setTimeout(() => resolve({ kind: 'timeout' }), timeout * 1000); }),
        ]);
        clearTimeout(timer);
        processes.startupOver();
        if (this.client !== client) {
            return; // stopped or restarted meanwhile
        }
        if (outcome.kind === 'timeout') {
            processes.kill();
            this.output.appendLine(`[klp-lsp] no answer to "initialize" within ${timeout} s; the server process was stopped`);
            return this.failToStart(`The klp-lsp server did not answer within ${timeout} s: its Java process` +
                `${processes.pid() ? ` (pid ${processes.pid()})` : ''} started but sent no reply to "initialize".` +
                `${processes.describeOutput()} The limit is the setting "klp.server.startTimeout".`);
        }
        if (outcome.kind === 'failed') {
            this.output.appendLine(`[klp-lsp] the server did not start: ${String(outcome.error)}`);
            const exit = await processes.lastExit(2000);
            const how = exit ? `exited during start-up (${exit})` : `did not start (${errorText(outcome.error)})`;
            return this.failToStart(`The klp-lsp server ${how}.${processes.describeOutput()}`);
        }
        if (archiveArgs(archive).length === 0) {
            // For the next start: the server starts faster with the jar's classes already parsed and verified.
            void createArchive(java.runtime.executable, jar, archive).then((problem) => this.output.appendLine(problem
                ? `[klp-lsp] no class-data archive (the server starts without one): ${problem}`
                : `[klp-lsp] class-data archive for the next start: ${archive}`));
        }
    }

    private clientOptions(processes: ServerProcesses): lc.LanguageClientOptions {
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
            errorHandler: new BoundedRestarts(this.output, () => this.clientRan, (count) => this.gaveUp(count, processes)),
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
        const processes = this.processes;
        this.client = undefined;
        this.processes = undefined;
        this.clientSubscriptions.forEach((subscription) => subscription.dispose());
        this.clientSubscriptions = [];
        if (client) {
            try {
                await client.dispose(5000);
            } catch (error) {
                this.output.appendLine(`[klp-lsp] stopping the server: ${String(error)}`);
            }
        }
        // A server that never answered cannot be shut down politely.
        processes?.kill();
        void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, false);
    }

    private onStateChange(state: lc.State): void {
        const running = state === lc.State.Running;
        void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, running);
        if (running) {
            this.clientRan = true;
            this.status.setPhase('running');
        } else if (state === lc.State.Stopped && this.status.snapshot.phase === 'running') {
            // A failure that was explained (failToStart, gaveUp) keeps its explanation.
            this.status.setPhase('stopped', 'The language server stopped. Run "Kernel Livepatch: Restart Server"; "Show Output" has its log.');
        }
    }

    /** The server did not get to run: one notification, and no restart until the user asks. */
    private failToStart(message: string): void {
        this.output.appendLine(`[klp-lsp] ${message}`);
        this.status.setPhase('failed', message);
        void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, false);
        this.offerRestart(message);
    }

    /** The running server died once too often (BoundedRestarts). */
    private async gaveUp(count: number, processes: ServerProcesses): Promise<void> {
        // The pipe closes before the process is reaped: wait a moment for how it ended.
        const exit = await processes.lastExit(1000);
        if (this.processes !== processes) {
            return; // restarted or stopped meanwhile: this explanation is out of date
        }
        const message = `The klp-lsp server stopped ${count} times in 3 minutes and is not restarted again` +
            `${exit ? ` (last time: ${exit})` : ''}.${processes.describeOutput()}`;
        this.output.appendLine(`[klp-lsp] ${message}`);
        this.status.setPhase('stopped', message);
        this.offerRestart(message);
    }

    private offerRestart(message: string): void {
        void vscode.window.showErrorMessage(message, 'Show Output', 'Restart').then((choice) => {
            if (choice === 'Show Output') {
                this.output.show(true);
            } else if (choice === 'Restart') {
                void this.restart();
            }
        });
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

/**
 * The language client, quiet unless its server runs: its own "couldn't create connection" and "Restarting server
 * failed" notifications would come beside the one Server gives (failToStart, gaveUp), which says what the
 * process did. The messages still go to the output channel.
 */
class KlpLanguageClient extends lc.LanguageClient {
    override error(message: string, data?: unknown, showNotification?: boolean | 'force'): void {
        super.error(message, data, this.state === lc.State.Running ? showNotification : false);
    }
}

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/**
 * Restart a crashed server at most 3 times in 3 minutes, then stop and let the Server say so once. A server that
 * dies before it ever ran is not restarted here: Server.start reports that.
 */
class BoundedRestarts implements lc.ErrorHandler {
    private readonly restarts: number[] = [];

    constructor(private readonly output: vscode.OutputChannel, private readonly wasRunning: () => boolean,
        private readonly onGiveUp: (count: number) => Promise<void>) {}

    error(): lc.ErrorHandlerResult {
        return { action: lc.ErrorAction.Continue };
    }

    closed(): lc.CloseHandlerResult {
        if (!this.wasRunning()) {
            return { action: lc.CloseAction.DoNotRestart, handled: true };
        }
        const now = Date.now();
        this.restarts.push(now);
        while (this.restarts.length > 0 && now - this.restarts[0] > 3 * 60 * 1000) {
            this.restarts.shift();
        }
        if (this.restarts.length > 3) {
            void this.onGiveUp(this.restarts.length);
            return { action: lc.CloseAction.DoNotRestart, handled: true };
        }
        this.output.appendLine(`[klp-lsp] the server stopped (${this.restarts.length} time(s) in 3 minutes); restarting it`);
        return { action: lc.CloseAction.Restart, handled: true };
    }
}

/**
 * Spawns the server for the language client (once per start or restart) and keeps what a failure notification
 * shows: what it wrote on stdout before speaking LSP, the last lines of its stderr, how it ended.
 */
class ServerProcesses {
    private process: ChildProcess | undefined;
    private stdoutHead = '';
    private watchingStdout = true;
    private stderrLines: string[] = [];
    private stderrPartial = '';
    private exit: string | undefined;
    private exitWaiters: (() => void)[] = [];

    constructor(private readonly command: string, private readonly args: string[], private readonly cwd: string | undefined) {}

    spawn(): ChildProcess {
        const child = spawn(this.command, this.args, { cwd: this.cwd, stdio: 'pipe' });
        this.process = child;
        this.stdoutHead = '';
        this.stderrLines = [];
        this.stderrPartial = '';
        this.exit = undefined;
        child.stdout?.on('data', (chunk: Buffer) => {
            if (this.watchingStdout && this.process === child && this.stdoutHead.length < STDOUT_HEAD_BYTES) {
                this.stdoutHead += chunk.toString('utf8').slice(0, STDOUT_HEAD_BYTES - this.stdoutHead.length);
            }
        });
        child.stderr?.on('data', (chunk: Buffer) => {
            if (this.process === child) {
                this.addStderr(chunk.toString('utf8'));
            }
        });
        child.on('exit', (code, signal) => {
            if (this.process === child) {
                this.exit = signal ? `signal ${signal}` : `exit code ${code}`;
                this.exitWaiters.splice(0).forEach((wake) => wake());
            }
        });
        child.on('error', (error) => {
            if (this.process === child) {
                this.exit = `could not run ${this.command}: ${error.message}`;
                this.exitWaiters.splice(0).forEach((wake) => wake());
            }
        });
        return child;
    }

    /** The server answered (or gave up): its stdout is LSP from now on, not worth keeping. */
    startupOver(): void {
        this.watchingStdout = false;
    }

    commandLine(): string {
        return [this.command, ...this.args].join(' ');
    }

    pid(): number | undefined {
        return this.process?.pid;
    }

    /** How the newest process ended, waiting up to `timeoutMs` for it. */
    async lastExit(timeoutMs: number): Promise<string | undefined> {
        if (this.exit === undefined && this.process) {
            await new Promise<void>((resolve) => {
                this.exitWaiters.push(resolve);
                setTimeout(resolve, timeoutMs);
            });
        }
        return this.exit;
    }

    /** Stops the newest process: SIGTERM, then SIGKILL after 2 s. */
    kill(): void {
        const child = this.process;
        if (!child || child.exitCode !== null || child.signalCode !== null) {
            return;
        }
        child.kill('SIGTERM');
        setTimeout(() => {
            if (child.exitCode === null && child.signalCode === null) {
                child.kill('SIGKILL');
            }
        }, 2000).unref();
    }

    /** " It wrote … on its standard output … Its last lines on stderr: …", for a notification. */
    describeOutput(): string {
        let text = '';
        const garbage = this.stdoutHead.split(/Content-Length:/i)[0].trim();
        if (garbage !== '') {
            text += ` Instead of the Language Server Protocol it wrote on its standard output: "${abbreviate(garbage, 200)}".`;
        }
        const lines = [...this.stderrLines, this.stderrPartial].map((line) => line.trim()).filter((line) => line !== '');
        text += lines.length === 0 ? ' It wrote nothing on stderr.'
            : ` Its last lines on stderr: ${lines.slice(-STDERR_LINES_SHOWN).map((line) => `"${abbreviate(line, 200)}"`).join(', ')}.`;
        return text;
    }

    private addStderr(text: string): void {
        const parts = (this.stderrPartial + text).split(/\r?\n/);
        this.stderrPartial = parts.pop() ?? '';
        this.stderrLines.push(...parts);
        if (this.stderrLines.length > STDERR_LINES_KEPT) {
            this.stderrLines.splice(0, this.stderrLines.length - STDERR_LINES_KEPT);
        }
        if (this.stderrPartial.length > 4096) {
            this.stderrPartial = this.stderrPartial.slice(-4096);
        }
    }
}

function abbreviate(text: string, max: number): string {
    const oneLine = text.replace(/\s+/g, ' ');
    return oneLine.length <= max ? oneLine : oneLine.slice(0, max) + '…';
}
