// SPDX-License-Identifier: GPL-2.0-only
// Starts code-server (a real VS Code) in its own process group and stops the whole group:
// the extension host, the language server it spawned and the file watcher go with it.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const codeServerEntry = path.join(here, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

const USER_SETTINGS = {
    'workbench.startupEditor': 'none',
    // A walkthrough opening on install would replace the test's preview editor; the UI test opens it itself.
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
    'security.workspace.trust.enabled': false,
    'window.restoreWindows': 'none',
    'editor.hover.delay': 300,
    'git.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.commandCenter.enabled': false,
};

export async function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
        server.on('error', reject);
    });
}

/**
 * dir: a fresh directory for user data, extensions and the log. userSettings are merged over the
 * defaults above. env: extra environment for code-server (the extension host inherits it).
 */
export async function startCodeServer({ dir, userSettings = {}, env = {}, extraArgs = [], folder }) {
    const userDataDir = path.join(dir, 'user-data');
    const extensionsDir = path.join(dir, 'extensions');
    fs.mkdirSync(extensionsDir, { recursive: true });
    // code-server is a remote window: machine-scoped settings (klp.buildCommand) count only in the remote
    // (Machine) settings, as on SSH or WSL. Write the same settings to both.
    for (const scope of ['User', 'Machine']) {
        fs.mkdirSync(path.join(userDataDir, scope), { recursive: true });
        fs.writeFileSync(path.join(userDataDir, scope, 'settings.json'),
            JSON.stringify({ ...USER_SETTINGS, ...userSettings }, null, 2));
    }
    const port = await freePort();
    const log = fs.openSync(path.join(dir, 'code-server.log'), 'a');
    const args = [codeServerEntry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
        '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
        '--reconnection-grace-time', '2',
        // The extension host gets exactly this environment, not one resolved from a login shell.
        '--vscode-option', 'force-disable-user-env',
        '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, ...extraArgs];
    if (folder) {
        args.push(folder);
    }
    // detached: a new process group (setsid), so stop() can signal every descendant at once.
    const child = spawn(process.execPath, args, {
        detached: true,
        stdio: ['ignore', log, log],
        env: { ...process.env, ...env },
    });
    let exited = false;
    child.on('exit', () => { exited = true; });
    const stop = async () => {
        for (const signal of ['SIGTERM', 'SIGKILL']) {
            try {
                process.kill(-child.pid, signal);
            } catch {
                return; // the group is gone
            }
            for (let i = 0; i < 30 && groupAlive(child.pid); i++) {
                await sleep(100);
            }
            if (!groupAlive(child.pid)) {
                return;
            }
        }
    };
    const deadline = Date.now() + 30000;
    while (Date.now() < deadline) {
        if (exited) {
            throw new Error(`code-server exited during start; see ${path.join(dir, 'code-server.log')}`);
        }
        if (await canConnect(port)) {
            return { port, url: `http://127.0.0.1:${port}`, stop, userDataDir, extensionsDir, pid: child.pid };
        }
        await sleep(100);
    }
    await stop();
    throw new Error(`code-server did not listen on ${port} within 30 s`);
}

/** Installs a .vsix into the extensions dir with code-server's own CLI. */
export async function installExtension(dir, vsix) {
    const extensionsDir = path.join(dir, 'extensions');
    const userDataDir = path.join(dir, 'user-data');
    fs.mkdirSync(extensionsDir, { recursive: true });
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [codeServerEntry, '--user-data-dir', userDataDir,
            '--extensions-dir', extensionsDir, '--install-extension', vsix], { stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (data) => { output += data; });
        child.stderr.on('data', (data) => { output += data; });
        child.on('exit', (code) => code === 0 ? resolve(output) : reject(new Error(`install-extension failed (${code}): ${output}`)));
    });
}

function groupAlive(pgid) {
    try {
        process.kill(-pgid, 0);
        return true;
    } catch {
        return false;
    }
}

function canConnect(port) {
    return new Promise((resolve) => {
        const socket = net.connect(port, '127.0.0.1');
        socket.on('connect', () => { socket.destroy(); resolve(true); });
        socket.on('error', () => resolve(false));
    });
}

export function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export function chromiumPath() {
    return process.env.CHROMIUM ?? '/usr/bin/chromium';
}
