// SPDX-License-Identifier: GPL-2.0-only
// UI smoke test: the packaged .vsix installed into a real VS Code (code-server), driven by Debian's
// chromium through playwright-core. Checks and photographs the status bar item, the squiggle, the
// Problems panel, the hover, the quick-fix menu, the fixed file and the status bar with two kernels; then, each
// in a VS Code of its own, a
// workspace without a kernel (the server's offer, the release in the status bar, Pick Kernel, the
// walkthrough), servers that print garbage, hang or keep dying, and a machine without Java 17.
// Exit 0 only if every step passed.
//
// usage: node ui-smoke.mjs --vsix FILE --folder WORKSPACE --file livepatch.c --symbol NAME --out DIR
//        [--user-settings FILE.json] [--level harness|full] [--no-java] [--server-problems]
//        [--system-root DIR --default-folder WORKSPACE [--release NAME]] [--second-kernel PATH]
// --second-kernel is a second kernel for the workspace's project file (as the project file names it, relative to
// WORKSPACE): the status bar with several kernels.
// --system-root is a fake machine (lib/modules, usr/lib/debug, proc/sys/kernel/osrelease) the server of the
// --default-folder round looks kernels up in (serve --root), so the test never depends on the real one.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath, installExtension, startCodeServer } from './codeserver.mjs';

const { values: options } = parseArgs({
    options: {
        vsix: { type: 'string' },
        folder: { type: 'string' },
        file: { type: 'string' },
        symbol: { type: 'string' },
        out: { type: 'string' },
        'user-settings': { type: 'string' },
        level: { type: 'string', default: 'full' },
        'no-java': { type: 'boolean', default: false },
        'server-problems': { type: 'boolean', default: false },
        'system-root': { type: 'string' },
        'default-folder': { type: 'string' },
        release: { type: 'string', default: '6.1.0-56-amd64' },
        'second-kernel': { type: 'string' },
    },
});
for (const required of ['vsix', 'folder', 'file', 'symbol', 'out']) {
    if (!options[required]) {
        console.error(`ui-smoke: --${required} is required`);
        process.exit(2);
    }
}
const out = path.resolve(options.out);
const shots = path.join(out, 'screenshots');
const runDir = path.join(out, 'ui-run');
fs.rmSync(runDir, { recursive: true, force: true });
fs.mkdirSync(shots, { recursive: true });
const userSettings = options['user-settings'] ? JSON.parse(fs.readFileSync(options['user-settings'], 'utf8')) : {};

const started = Date.now();
const results = [];
let page;
async function step(name, body) {
    const stepStart = Date.now();
    try {
        const detail = await body();
        results.push({ name, ok: true });
        console.log(`ok   ${name} (${Date.now() - stepStart} ms)${detail ? ': ' + detail : ''}`);
        return true;
    } catch (error) {
        results.push({ name, ok: false });
        console.log(`FAIL ${name} (${Date.now() - stepStart} ms): ${String(error.message ?? error).split('\n')[0]}`);
        await page?.screenshot({ path: path.join(shots, `failed-${name.replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
        return false;
    }
}
const shot = (name) => page.screenshot({ path: path.join(shots, name) });

await installExtension(runDir, path.resolve(options.vsix));
const codeServer = await startCodeServer({ dir: runDir, userSettings });
let browser;
try {
    browser = await chromium.launchPersistentContext(path.join(runDir, 'chromium'), {
        executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 },
    });
    page = browser.pages()[0] ?? await browser.newPage();
    await page.goto(`${codeServer.url}/?folder=${encodeURIComponent(path.resolve(options.folder))}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 30000 });

    const ok = await step('open the livepatch source', async () => {
        await openSource();
        await page.waitForSelector(`.tab.active[aria-label*="${options.file}"]`, { timeout: 10000 });
    });
    const statusItem = page.locator('.statusbar-item', { hasText: 'klp:' }).first();
    await step('status bar shows the kernel index', async () => {
        await statusItem.waitFor({ timeout: 20000 });
        if (options.level === 'full') {
            await page.waitForFunction(() => [...document.querySelectorAll('.statusbar-item')]
                .some((item) => /klp: .*symbols/.test(item.textContent ?? '')), undefined, { timeout: 30000 });
        }
        await page.locator('.part.statusbar').screenshot({ path: path.join(shots, 'status-bar.png') });
        return (await statusItem.textContent())?.trim();
    });
    await step('status bar item opens the command menu', async () => {
        await statusItem.click();
        const rows = page.locator('.quick-input-list .monaco-list-row');
        const wanted = options.level === 'full'
            ? ['Convert Module', 'Check Module', 'Rebuild Kernel Index', 'Show Output', 'Restart Server', 'New Livepatch']
            : ['Show Output', 'Restart Server', 'New Livepatch'];
        for (const label of wanted) {
            await rows.filter({ hasText: label }).first().waitFor({ timeout: 10000 });
        }
        await page.waitForTimeout(300);
        await shot('status-menu.png');
        await page.keyboard.press('Escape');
    });
    if (ok && options.level === 'full') {
        await fullRound();
        if (options['second-kernel']) {
            await severalKernelsStep(statusItem);
        }
    }
    await shot('workbench.png');
} catch (error) {
    console.log(`FAIL ui-smoke: ${error.stack ?? error}`);
    results.push({ name: 'ui-smoke', ok: false });
} finally {
    await browser?.close().catch(() => undefined);
    await codeServer.stop();
}
if (options['default-folder'] && options['system-root'] && options.level === 'full') {
    await defaultKernelRound();
}
if (options['server-problems']) {
    await serverProblemsRound();
}
if (options['no-java']) {
    await noJavaRound();
}
const failed = results.filter((r) => !r.ok).length;
console.log(`ui-smoke: ${results.length - failed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s); screenshots in ${shots}`);
process.exit(failed === 0 && results.length > 0 ? 0 : 1);

async function fullRound() {
    const symbol = options.symbol;
    // The squiggle is a decoration that ignores the pointer: aim the mouse at its middle instead.
    let squiggle = { x: 0, y: 0 };
    const squiggleCenter = async () => {
        const deadline = Date.now() + 10000;
        while (Date.now() < deadline) {
            for (const squiggle of await page.locator('.monaco-editor .view-overlays .squiggly-error').all()) {
                const box = await squiggle.boundingBox();
                if (box && box.width > 0 && box.y > 0) {
                    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
                }
            }
            await new Promise((resolve) => setTimeout(resolve, 200));
        }
        throw new Error('the squiggle is not on screen');
    };
    await step('squiggle under the ambiguous symbol', async () => {
        await page.waitForSelector('.monaco-editor .squiggly-error', { timeout: 30000 });
        await shot('squiggle.png');
    });
    await step('Problems panel lists the diagnostic', async () => {
        await page.keyboard.press('Control+Shift+M');
        const row = page.locator('.markers-panel .monaco-list-row', { hasText: symbol }).first();
        await row.waitFor({ timeout: 10000 });
        await shot('problems.png');
        const text = (await row.textContent())?.replace(/\s+/g, ' ').trim();
        // Opening the problem puts the cursor on it; then the panel goes, so the line stays in view.
        await row.click();
        await page.keyboard.press('Enter');
        await page.keyboard.press('Control+J');
        await page.locator('.markers-panel').waitFor({ state: 'hidden', timeout: 5000 });
        return text;
    });
    await step('hover shows the candidates', async () => {
        squiggle = await squiggleCenter();
        await page.mouse.move(squiggle.x, squiggle.y - 4);
        const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'sympos' }).first();
        await hover.waitFor({ timeout: 10000 });
        await shot('hover.png');
        return (await hover.textContent())?.replace(/\s+/g, ' ').slice(0, 120);
    });
    const menuOk = await step('quick-fix menu offers the sympos fixes', async () => {
        await page.mouse.move(5, 400);
        await page.keyboard.press('Escape');
        const rows = page.locator('.action-widget .monaco-list-row', { hasText: 'sympos' });
        // Ctrl+. is sometimes swallowed while the hover closes: try again, as a user would.
        for (let attempt = 1; ; attempt++) {
            await page.mouse.click(squiggle.x, squiggle.y - 4);
            await page.keyboard.press('Control+.');
            try {
                await rows.first().waitFor({ timeout: 4000 });
                break;
            } catch (error) {
                if (attempt === 3) {
                    throw error;
                }
                await page.keyboard.press('Escape');
            }
        }
        await shot('quickfix-menu.png');
        const titles = (await rows.allTextContents()).map((t) => t.trim());
        if (titles.length < 2) {
            throw new Error(`expected a fix per candidate, got ${JSON.stringify(titles)}`);
        }
        await rows.nth(1).click();
        return titles.join(' | ');
    });
    if (!menuOk) {
        return;
    }
    await step('the fix clears the error and the file saves', async () => {
        await page.waitForFunction(() => document.querySelectorAll('.monaco-editor .squiggly-error').length === 0,
            undefined, { timeout: 15000 });
        // Monaco renders spaces as U+00A0.
        const text = (await page.locator('.monaco-editor .view-lines').first().textContent())?.replace(/\u00a0/g, ' ');
        if (!text?.includes(`KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, ${symbol}, 2)`)) {
            throw new Error('the sympos 2 annotation is not in the editor');
        }
        await page.keyboard.press('Control+S');
        await page.waitForSelector('.tab.active:not(.dirty)', { timeout: 10000 });
        await page.keyboard.press('Control+Shift+M');
        await page.locator('.markers-panel').waitFor({ timeout: 5000 });
        await shot('after-fix.png');
    });
    await step('Convert Module from the Command Palette', async () => {
        const folder = path.resolve(options.folder);
        // The tab turns clean when the workbench has sent the save; code-server may write the file a moment
        // later. Build only once the fix is on disk, or make compiles the old source.
        const annotation = `KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, ${symbol}, 2)`;
        const source = path.join(folder, options.file);
        const deadline = Date.now() + 10000;
        while (!fs.readFileSync(source, 'utf8').includes(annotation)) {
            if (Date.now() > deadline) {
                throw new Error(`the saved fix did not reach ${options.file} on disk within 10 s`);
            }
            await page.waitForTimeout(100);
        }
        execFileSync('make', ['-s'], { cwd: folder, stdio: 'pipe' });
        await page.keyboard.press('Control+Shift+P');
        await page.waitForSelector('.quick-input-widget input', { timeout: 10000 });
        await page.keyboard.type('Kernel Livepatch: Convert Module');
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Convert Module' }).first().waitFor({ timeout: 10000 });
        await page.keyboard.press('Enter');
        const toast = page.locator('.notification-toast', { hasText: 'Convert Module:' }).first();
        await toast.waitFor({ timeout: 20000 });
        await page.waitForTimeout(800); // the toast slides in
        await shot('convert.png');
        const module = fs.readFileSync(path.join(folder, 'build', 'livepatch.ko'));
        if (!module.includes(`.klp.sym.vmlinux.${symbol},2`)) {
            throw new Error('build/livepatch.ko was not converted');
        }
        return (await toast.textContent())?.replace(/\s+/g, ' ').slice(0, 160);
    });
    await step('New Livepatch from the Command Palette writes and opens a module', async () => {
        await page.keyboard.press('Control+Shift+P');
        await page.waitForSelector('.quick-input-widget input', { timeout: 10000 });
        await page.keyboard.type('Kernel Livepatch: New Livepatch');
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'New Livepatch' }).first().waitFor({ timeout: 10000 });
        await page.keyboard.press('Enter');
        const input = page.locator('.quick-input-widget input');
        for (const [title, value] of [['module name', 'lp_demo'], ['function to replace', 'cmdline_proc_show'], ['object holding it', 'vmlinux']]) {
            await page.locator('.quick-input-widget', { hasText: title }).waitFor({ timeout: 10000 });
            await input.fill(value);
            await page.keyboard.press('Enter');
        }
        await page.waitForSelector('.tab.active[aria-label*="lp_demo.c"]', { timeout: 10000 });
        const dir = path.join(path.resolve(options.folder), 'lp_demo');
        for (const file of ['lp_demo.c', 'Kbuild', 'Makefile', '.klp-lsp.json']) {
            if (!fs.existsSync(path.join(dir, file))) {
                throw new Error(`lp_demo/${file} missing`);
            }
        }
        await shot('new-livepatch.png');
    });
    await step('Explorer context menu of a .ko offers Convert and Check Module', async () => {
        const rows = page.locator('.explorer-folders-view .monaco-list-row');
        await rows.filter({ hasText: /^build$/ }).first().click();
        const module = rows.filter({ hasText: /^livepatch\.ko$/ }).first();
        await module.waitFor({ timeout: 10000 });
        await module.click({ button: 'right' });
        const menu = page.locator('.context-view .monaco-menu');
        await menu.locator('.action-label', { hasText: 'Convert Module' }).first().waitFor({ timeout: 10000 });
        await menu.locator('.action-label', { hasText: 'Check Module' }).first().waitFor({ timeout: 5000 });
        await page.waitForTimeout(600); // the menu fades in
        await shot('explorer-menu.png');
        await page.keyboard.press('Escape');
    });
}

/**
 * The project file names two kernels (the workspace's and a second build): the status bar counts them and its
 * tooltip names them. The project file is put back afterwards (later rounds use the same workspace).
 */
async function severalKernelsStep(statusItem) {
    const projectFile = path.join(path.resolve(options.folder), '.klp-lsp.json');
    const original = fs.readFileSync(projectFile, 'utf8');
    const project = JSON.parse(original);
    const second = options['second-kernel'];
    await step('several kernels: the status bar says "2 kernels", the tooltip names them', async () => {
        const { kernel, ...rest } = project;
        fs.writeFileSync(projectFile, JSON.stringify({ ...rest, kernels: [kernel, second] }, null, 2) + '\n');
        // A tidy picture: the livepatch source, no panel, no notification left from the steps before.
        await runCommand('Notifications: Clear All Notifications');
        await openSource();
        if (await page.locator('.part.panel').isVisible()) {
            await page.keyboard.press('Control+J');
            await page.locator('.part.panel').waitFor({ state: 'hidden', timeout: 5000 });
        }
        await page.waitForFunction(() => [...document.querySelectorAll('.statusbar-item')]
            .some((item) => /klp: 2 kernels · [\d,]+ symbols/.test(item.textContent ?? '')), undefined, { timeout: 30000 });
        await statusItem.hover();
        const tooltip = page.locator('.workbench-hover, .monaco-hover', { hasText: 'Kernels: ' }).first();
        await tooltip.waitFor({ timeout: 10000 });
        await page.waitForTimeout(300);
        await shot('status-kernels.png');
        const text = `${(await statusItem.textContent())?.trim()} | ${await toastText(tooltip)}`;
        // Each kernel by its name: here the last component of its path (the fixture kernel has no release).
        // The tooltip's text comes with its spaces as U+00A0.
        const line = (await tooltip.innerText()).replace(/\u00a0/g, ' ').split('\n')
            .find((each) => each.startsWith('Kernels: ')) ?? '';
        const names = [kernel, second].map((each) => path.basename(each));
        if (line.replace(/^Kernels: /, '').split(', ').map((each) => each.trim()).join('|') !== names.join('|')) {
            throw new Error(`the tooltip does not name ${names.join(' and ')}: ${line}`);
        }
        await page.mouse.move(600, 400);
        return text.slice(0, 200);
    });
    fs.writeFileSync(projectFile, original);
}

/**
 * Without a usable Java (JAVA_HOME is a Java 11, PATH has none): the status item says what is missing and
 * one notification explains it; the extension does not retry in a loop.
 */
async function noJavaRound() {
    const dir = path.join(out, 'ui-no-java');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const oldHome = path.join(dir, 'jdk-11');
    fs.mkdirSync(path.join(oldHome, 'bin'), { recursive: true });
    fs.writeFileSync(path.join(oldHome, 'bin', 'java'), '#!/bin/sh\necho \'openjdk version "11.0.22" 2024-01-16\' >&2\n', { mode: 0o755 });
    // PATH without java: a directory of links to every other program of the real PATH.
    const bin = path.join(dir, 'bin-without-java');
    fs.mkdirSync(bin);
    for (const entry of (process.env.PATH ?? '').split(':').filter(Boolean)) {
        for (const name of safeReaddir(entry)) {
            if (name !== 'java' && !fs.existsSync(path.join(bin, name))) {
                fs.symlinkSync(path.join(entry, name), path.join(bin, name));
            }
        }
    }
    await installExtension(dir, path.resolve(options.vsix));
    const server = await startCodeServer({ dir, userSettings, env: { JAVA_HOME: oldHome, PATH: bin } });
    let context;
    try {
        context = await chromium.launchPersistentContext(path.join(dir, 'chromium'), {
            executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 },
        });
        page = context.pages()[0] ?? await context.newPage();
        await page.goto(`${server.url}/?folder=${encodeURIComponent(path.resolve(options.folder))}`);
        await page.waitForSelector('.monaco-workbench', { timeout: 30000 });
        await step('no Java 17: status item and one clear message, no restart loop', async () => {
            await openSource();
            await page.locator('.statusbar-item', { hasText: 'Java 17+ needed' }).first().waitFor({ timeout: 20000 });
            const toast = page.locator('.notification-toast', { hasText: 'needs Java 17 or newer' });
            await toast.first().waitFor({ timeout: 10000 });
            await new Promise((resolve) => setTimeout(resolve, 3000));
            const count = await toast.count();
            if (count !== 1) {
                throw new Error(`${count} Java notifications`);
            }
            await shot('no-java.png');
            return (await toast.first().textContent())?.replace(/\s+/g, ' ').slice(0, 200);
        });
    } finally {
        await context?.close().catch(() => undefined);
        await server.stop();
    }
}

/**
 * A fresh VS Code with the extension, a browser on `folder`, and `body` run against it; everything is stopped
 * afterwards. The page is the module's `page`, as the steps expect.
 */
async function inSession({ name, settings, folder }, body) {
    const dir = path.join(out, name);
    fs.mkdirSync(dir, { recursive: true });
    await installExtension(dir, path.resolve(options.vsix));
    const server = await startCodeServer({ dir, userSettings: settings });
    let context;
    try {
        context = await chromium.launchPersistentContext(path.join(dir, 'chromium'), {
            executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 },
        });
        page = context.pages()[0] ?? await context.newPage();
        await page.goto(`${server.url}/?folder=${encodeURIComponent(path.resolve(folder))}`);
        await page.waitForSelector('.monaco-workbench', { timeout: 30000 });
        await body();
    } catch (error) {
        console.log(`FAIL ${name}: ${error.stack ?? error}`);
        results.push({ name, ok: false });
    } finally {
        await context?.close().catch(() => undefined);
        await server.stop();
    }
}

/**
 * A "java" for the extension (klp.java.home = the returned directory): anything but a server start (`-version`,
 * the class-data archive's runs) goes to the real java; a server start records its pid in DIR/server.pid and
 * does what DIR/mode says: `garbage` prints a line that is
 * not LSP and never answers, `hang` says something on stderr and never answers, `real` runs the real server
 * with `serverArgs` appended.
 */
function fakeJavaHome(dir, serverArgs = []) {
    const realJava = fs.realpathSync(execFileSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).trim());
    const home = path.join(dir, 'java-home');
    fs.mkdirSync(path.join(home, 'bin'), { recursive: true });
    const quote = (text) => `'${text.replace(/'/g, `'\\''`)}'`;
    fs.writeFileSync(path.join(home, 'bin', 'java'), `#!/bin/sh
# Not a server start (java -version, the class-data archive's training runs): the real java, untouched.
case " $* " in *" serve "*) ;; *) exec ${quote(realJava)} "$@" ;; esac
echo $$ > ${quote(path.join(dir, 'server.pid.new'))} && mv ${quote(path.join(dir, 'server.pid.new'))} ${quote(path.join(dir, 'server.pid'))}
case $(cat ${quote(path.join(dir, 'mode'))} 2>/dev/null) in
garbage) echo 'klp-lsp test server 0.1: listening (this line is not the Language Server Protocol)'; exec sleep 600 ;;
hang) echo 'test server: waiting for the index lock that pid 4242 holds' >&2; exec sleep 600 ;;
*) exec ${quote(realJava)} "$@" ${serverArgs.map(quote).join(' ')} ;;
esac
`, { mode: 0o755 });
    return home;
}

/** Quick Open on the source; generous waits: a fresh VS Code on a busy machine indexes files slowly. */
async function openSource() {
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input', { timeout: 20000 });
    await page.keyboard.type(options.file);
    await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${options.file}"]`, { timeout: 30000 });
    await page.keyboard.press('Enter');
}

async function runCommand(title) {
    await page.keyboard.press('Control+Shift+P');
    await page.waitForSelector('.quick-input-widget input', { timeout: 10000 });
    await page.keyboard.type(title);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title.replace(/^.*: /, '') }).first().waitFor({ timeout: 10000 });
    await page.keyboard.press('Enter');
}

async function toastText(toast) {
    return (await toast.textContent())?.replace(/\s+/g, ' ').trim();
}

/**
 * A workspace without a kernel on a (fake) machine whose running kernel is installed with its debug vmlinux:
 * the server offers it in one prompt; accepting shows its release in the status bar. Then Pick Kernel lists
 * the installed kernels and the walkthrough opens.
 */
async function defaultKernelRound() {
    const release = options.release;
    const dir = path.join(out, 'ui-default-kernel');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const javaHome = fakeJavaHome(dir, ['--root', path.resolve(options['system-root'])]);
    const folder = path.resolve(options['default-folder']);
    await inSession({ name: 'ui-default-kernel', settings: { ...userSettings, 'klp.java.home': javaHome }, folder }, async () => {
        const statusItem = page.locator('.statusbar-item', { hasText: 'klp:' }).first();
        await step('no kernel configured: the server offers the running kernel in one prompt', async () => {
            await openSource();
            const toast = page.locator('.notification-toast', { hasText: `Use ${release}?` }).first();
            await toast.waitFor({ timeout: 30000 });
            await page.waitForTimeout(800); // the toast slides in
            await shot('default-kernel.png');
            const text = await toastText(toast);
            for (const part of [`${release} is the running kernel`, 'Use and save to .klp-lsp.json', 'Not now']) {
                if (!text.includes(part)) {
                    throw new Error(`the prompt lacks "${part}": ${text}`);
                }
            }
            await toast.getByRole('button', { name: `Use ${release}`, exact: true }).click();
            return text.slice(0, 160);
        });
        await step('status bar: the release and its symbol count; the tooltip names the kernel setting', async () => {
            await page.waitForFunction((wanted) => [...document.querySelectorAll('.statusbar-item')]
                .some((item) => new RegExp(`klp: ${wanted} · [\\d,]+ symbols`).test(item.textContent ?? '')),
            release.replace(/\./g, '\\.'), { timeout: 30000 });
            await page.waitForSelector('.monaco-editor .squiggly-error', { timeout: 30000 });
            await statusItem.hover();
            const tooltip = page.locator('.workbench-hover, .monaco-hover', { hasText: `Release: ${release}` }).first();
            await tooltip.waitFor({ timeout: 10000 });
            await page.waitForTimeout(300);
            await shot('status-release.png');
            if (fs.existsSync(path.join(folder, '.klp-lsp.json'))) {
                throw new Error('"Use" wrote a project file');
            }
            const text = `${(await statusItem.textContent())?.trim()} | ${await toastText(tooltip)}`;
            await page.mouse.move(600, 400);
            return text.slice(0, 200);
        });
        await step('Pick Kernel lists the installed kernels, running first, and sets klp.kernel', async () => {
            await runCommand('Kernel Livepatch: Pick Kernel');
            const rows = page.locator('.quick-input-list .monaco-list-row');
            const running = rows.filter({ hasText: release }).filter({ hasText: 'running' }).first();
            await running.waitFor({ timeout: 15000 });
            await rows.filter({ hasText: 'cannot be indexed' }).first().waitFor({ timeout: 5000 });
            await rows.filter({ hasText: 'Browse' }).first().waitFor({ timeout: 5000 });
            await page.waitForTimeout(300);
            await shot('pick-kernel.png');
            const labels = (await rows.allTextContents()).map((label) => label.replace(/\s+/g, ' ').trim());
            await running.click();
            const settingsFile = path.join(folder, '.vscode', 'settings.json');
            const deadline = Date.now() + 10000;
            while (!(fs.existsSync(settingsFile) && JSON.parse(fs.readFileSync(settingsFile, 'utf8'))['klp.kernel'] === release)) {
                if (Date.now() > deadline) {
                    throw new Error(`klp.kernel is not ${release} in ${settingsFile}`);
                }
                await new Promise((resolve) => setTimeout(resolve, 200));
            }
            return labels.join(' | ').slice(0, 240);
        });
        await step('Get Started opens the walkthrough', async () => {
            await runCommand('Kernel Livepatch: Get Started');
            const walkthrough = page.locator('.gettingStartedContainer', { hasText: 'Get Started with Kernel Livepatch' }).first();
            await walkthrough.waitFor({ timeout: 15000 });
            for (const title of ['Pick the kernel you patch', 'Check a livepatch', 'Convert on save']) {
                await walkthrough.locator('*', { hasText: title }).first().waitFor({ timeout: 5000 });
            }
            await page.keyboard.press('Control+B'); // the side bar goes: the picture shows beside the steps
            await page.waitForTimeout(1200); // the picture loads
            await shot('walkthrough.png');
        });
    });
}

/**
 * Servers that misbehave (a fake java, klp.server.startTimeout 5 s): one that prints garbage and one that
 * hangs are stopped after the timeout and explained in one notification; one that keeps dying is restarted
 * three times, then explained.
 */
async function serverProblemsRound() {
    const dir = path.join(out, 'ui-server-problems');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const javaHome = fakeJavaHome(dir);
    const mode = (value) => fs.writeFileSync(path.join(dir, 'mode'), value);
    // The fake java's pid, or 0 while none is recorded. Never hand 0 or a negative number to process.kill:
    // those mean this process's group (a half-written pid file once killed the whole CI job that way).
    const serverPid = () => {
        let text = '';
        try {
            text = fs.readFileSync(path.join(dir, 'server.pid'), 'utf8').trim();
        } catch {
            return 0;
        }
        return /^[1-9][0-9]*$/.test(text) ? Number(text) : 0;
    };
    const alive = (pid) => {
        if (pid <= 1) {
            return false;
        }
        try { process.kill(pid, 0); return true; } catch { return false; }
    };
    const waitUntil = async (what, probe, timeoutMs) => {
        const deadline = Date.now() + timeoutMs;
        while (!(await probe())) {
            if (Date.now() > deadline) {
                throw new Error(`timed out waiting for ${what}`);
            }
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
    };
    const settings = { ...userSettings, 'klp.java.home': javaHome, 'klp.server.startTimeout': 5 };
    mode('garbage');
    await inSession({ name: 'ui-server-problems', settings, folder: options.folder }, async () => {
        const failed = page.locator('.notification-toast', { hasText: 'did not answer within 5 s' });
        let ok = await step('a server that prints garbage is stopped after 5 s; the notification quotes it', async () => {
            await openSource();
            await failed.first().waitFor({ timeout: 30000 });
            await page.locator('.statusbar-item', { hasText: 'klp: server failed' }).first().waitFor({ timeout: 5000 });
            const pid = serverPid();
            await waitUntil(`the silent server (pid ${pid}) to be stopped`, () => !alive(pid), 5000);
            await page.waitForTimeout(800);
            await shot('server-no-answer.png');
            const text = await toastText(failed.first());
            if (!text.includes('this line is not the Language Server Protocol') || !text.includes('klp.server.startTimeout')) {
                throw new Error(`the notification does not quote the output: ${text}`);
            }
            return text.slice(0, 200);
        });
        if (ok) {
            ok = await step('a server that hangs: Restart, the same notification with its last stderr line', async () => {
                mode('hang');
                await failed.first().getByRole('button', { name: 'Restart', exact: true }).click();
                const hung = page.locator('.notification-toast', { hasText: 'waiting for the index lock' }).first();
                await hung.waitFor({ timeout: 30000 });
                const text = await toastText(hung);
                if (!text.includes('did not answer within 5 s') || !text.includes('last lines on stderr')) {
                    throw new Error(`unexpected notification: ${text}`);
                }
                return text.slice(0, 200);
            });
        }
        if (ok) {
            await step('a server that keeps dying is restarted 3 times, then one notification', async () => {
                mode('real');
                const hung = page.locator('.notification-toast', { hasText: 'waiting for the index lock' }).first();
                await hung.getByRole('button', { name: 'Restart', exact: true }).click();
                await page.locator('.statusbar-item', { hasText: 'symbols' }).first().waitFor({ timeout: 60000 });
                for (let kill = 1; kill <= 4; kill++) {
                    await waitUntil(`the server's pid (kill ${kill})`, () => alive(serverPid()), 30000);
                    const pid = serverPid();
                    process.kill(pid, 'SIGKILL');
                    if (kill < 4) {
                        await waitUntil(`restart ${kill}`, () => serverPid() !== pid && alive(serverPid()), 30000);
                        // Running again: the item went to "server stopped" with the crash and back to the index.
                        await page.locator('.statusbar-item', { hasText: 'symbols' }).first().waitFor({ timeout: 60000 });
                    }
                }
                const crashed = page.locator('.notification-toast', { hasText: 'stopped 4 times in 3 minutes' }).first();
                await crashed.waitFor({ timeout: 30000 });
                await page.locator('.statusbar-item', { hasText: 'klp: server stopped' }).first().waitFor({ timeout: 5000 });
                await page.mouse.move(600, 400); // off the Restart button clicked before: no tooltip in the picture
                await page.waitForTimeout(800);
                await shot('server-crashed.png');
                const text = await toastText(crashed);
                if (!/Show Output.*Restart/.test(text) || !text.includes('(last time: signal SIGKILL)')) {
                    throw new Error(`no Show Output and Restart, or not how it ended: ${text}`);
                }
                return text.slice(0, 200);
            });
        }
    });
}

function safeReaddir(dir) {
    try {
        return fs.readdirSync(dir);
    } catch {
        return [];
    }
}
