// SPDX-License-Identifier: GPL-2.0-only
// UI smoke test: the packaged .vsix installed into a real VS Code (code-server), driven by Debian's
// chromium through playwright-core. Checks and photographs the status bar item, the squiggle, the
// Problems panel, the hover, the quick-fix menu and the fixed file. Exit 0 only if every step passed.
//
// usage: node ui-smoke.mjs --vsix FILE --folder WORKSPACE --file livepatch.c --symbol NAME --out DIR
//        [--user-settings FILE.json] [--level harness|full]
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
        await page.keyboard.press('Control+P');
        await page.waitForSelector('.quick-input-widget input', { timeout: 10000 });
        await page.keyboard.type(options.file);
        await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${options.file}"]`, { timeout: 10000 });
        await page.keyboard.press('Enter');
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
    if (ok && options.level === 'full') {
        await fullRound();
    }
    await shot('workbench.png');
} catch (error) {
    console.log(`FAIL ui-smoke: ${error.stack ?? error}`);
    results.push({ name: 'ui-smoke', ok: false });
} finally {
    await browser?.close().catch(() => undefined);
    await codeServer.stop();
}
const failed = results.filter((r) => !r.ok).length;
console.log(`ui-smoke: ${results.length - failed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s); screenshots in ${shots}`);
process.exit(failed === 0 && results.length > 0 ? 0 : 1);

async function fullRound() {
    const symbol = options.symbol;
    // The symbol's word on the line with the squiggle: Monaco renders each token in its own span.
    const word = page.locator('.view-line span', { hasText: new RegExp(`^${symbol}$`) }).first();
    await step('squiggle under the ambiguous symbol', async () => {
        await page.waitForSelector('.monaco-editor .squiggly-error', { timeout: 30000 });
        await shot('squiggle.png');
    });
    await step('Problems panel lists the diagnostic', async () => {
        await page.keyboard.press('Control+Shift+M');
        const row = page.locator('.markers-panel .monaco-list-row', { hasText: symbol }).first();
        await row.waitFor({ timeout: 10000 });
        await shot('problems.png');
        return (await row.textContent())?.replace(/\s+/g, ' ').trim();
    });
    await step('hover shows the candidates', async () => {
        await word.hover();
        const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'sympos' }).first();
        await hover.waitFor({ timeout: 10000 });
        await shot('hover.png');
        return (await hover.textContent())?.replace(/\s+/g, ' ').slice(0, 120);
    });
    await step('quick-fix menu offers the sympos fixes', async () => {
        await page.mouse.move(5, 400);
        await word.click();
        await page.keyboard.press('Control+.');
        const row = page.locator('.action-widget .monaco-list-row', { hasText: 'sympos' }).first();
        await row.waitFor({ timeout: 10000 });
        await shot('quickfix-menu.png');
        const title = (await row.textContent())?.trim();
        await row.click();
        return title;
    });
    await step('the fix clears the error', async () => {
        await page.waitForFunction(() => document.querySelectorAll('.monaco-editor .squiggly-error').length === 0,
            undefined, { timeout: 15000 });
        await page.keyboard.press('Control+S');
        await page.waitForSelector('.tab.active:not(.dirty)', { timeout: 10000 });
        await shot('after-fix.png');
    });
}
