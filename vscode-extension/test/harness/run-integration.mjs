// SPDX-License-Identifier: GPL-2.0-only
// Runs the extension's integration tests inside a real VS Code extension host (code-server), the way
// @vscode/test-electron would: the workbench's `payload` URL loads the extension from its folder
// (extensionDevelopmentPath) and calls run() of the test bundle (extensionTestsPath) in the extension
// host. The host exits 0 whatever happens, so the test writes its verdict file and this script reads it.
//
// usage: node run-integration.mjs --extension DIR --tests FILE.js --folder WORKSPACE --out DIR
//        [--user-settings FILE.json] [--timeout SECONDS] [--name NAME (of the result files)]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath, sleep, startCodeServer } from './codeserver.mjs';

const { values: options } = parseArgs({
    options: {
        extension: { type: 'string' },
        tests: { type: 'string' },
        folder: { type: 'string' },
        out: { type: 'string' },
        'user-settings': { type: 'string' },
        timeout: { type: 'string', default: '120' },
        name: { type: 'string', default: 'integration' },
    },
});
for (const required of ['extension', 'tests', 'folder', 'out']) {
    if (!options[required]) {
        console.error(`run-integration: --${required} is required`);
        process.exit(2);
    }
}
const out = path.resolve(options.out);
const name = options.name;
const runDir = path.join(out, `${name}-run`);
fs.rmSync(runDir, { recursive: true, force: true });
fs.mkdirSync(runDir, { recursive: true });
const verdictFile = path.join(out, `${name}-verdict.json`);
fs.rmSync(verdictFile, { force: true });
const userSettings = options['user-settings'] ? JSON.parse(fs.readFileSync(options['user-settings'], 'utf8')) : {};

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const codeServer = await startCodeServer({
    dir: runDir,
    userSettings,
    env: { EXT_TEST_RESULT: verdictFile, KLP_TEST_OUT: out },
    extraArgs: ['--vscode-option', 'enable-smoke-test-driver'],
});
console.log(`run-integration: code-server on ${codeServer.url} (${elapsed()})`);

let browser;
let exitCode = 1;
try {
    const remote = (file) => `vscode-remote://127.0.0.1:${codeServer.port}${path.resolve(file)}`;
    const payload = JSON.stringify([
        ['extensionDevelopmentPath', remote(options.extension)],
        ['extensionTestsPath', remote(options.tests)],
    ]);
    const url = `${codeServer.url}/?folder=${encodeURIComponent(path.resolve(options.folder))}&payload=${encodeURIComponent(payload)}`;
    browser = await chromium.launchPersistentContext(path.join(runDir, 'chromium'), {
        executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 },
    });
    const page = browser.pages()[0] ?? await browser.newPage();
    // The workbench's own errors (a failed save, a refused edit) show only in the browser console.
    const consoleLog = fs.openSync(path.join(out, `${name}-console.log`), 'w');
    page.on('console', (message) => fs.writeSync(consoleLog, `[${message.type()}] ${message.text()}\n`));
    await page.goto(url);
    const deadline = Date.now() + Number(options.timeout) * 1000;
    while (!fs.existsSync(verdictFile) && Date.now() < deadline) {
        await sleep(250);
    }
    await page.screenshot({ path: path.join(out, `${name}-host.png`) }).catch(() => undefined);
    if (!fs.existsSync(verdictFile)) {
        console.error(`run-integration: no verdict after ${options.timeout} s; see ${runDir}/code-server.log and the extension host log`);
    } else {
        const verdict = JSON.parse(fs.readFileSync(verdictFile, 'utf8'));
        for (const result of verdict.results) {
            console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${result.name} (${result.ms} ms)${result.ok ? '' : ': ' + result.detail}`);
        }
        console.log(`${name}: ${verdict.passed} passed, ${verdict.failed} failed (${elapsed()})`);
        exitCode = verdict.failed === 0 && verdict.passed > 0 ? 0 : 1;
    }
} catch (error) {
    console.error(`run-integration: ${error.stack ?? error}`);
} finally {
    await browser?.close().catch(() => undefined);
    await codeServer.stop();
    copyHostLogs(runDir, out);
}
process.exit(exitCode);

/** The extension host's and our output channels' logs, for a failed CI run. */
function copyHostLogs(from, to) {
    const logs = path.join(from, 'user-data', 'logs');
    if (!fs.existsSync(logs)) {
        return;
    }
    const target = path.join(to, `${name}-logs`);
    fs.rmSync(target, { recursive: true, force: true });
    fs.cpSync(logs, target, { recursive: true });
}
