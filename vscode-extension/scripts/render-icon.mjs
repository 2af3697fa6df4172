// SPDX-License-Identifier: GPL-2.0-only
// Renders images/icon.svg to images/icon.png (128x128, transparent corners) with Debian's chromium through the
// test harness's playwright-core. The PNG is committed (the marketplace and VS Code take no SVG icon); run this
// after changing the SVG: "$NODE24" scripts/render-icon.mjs (any Node 20+ works).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '../test/harness/node_modules/playwright-core/index.mjs';

const ext = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const svg = fs.readFileSync(path.join(ext, 'images', 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu'] });
try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace(/<\?xml[^>]*>/, '')}</body></html>`);
    await page.locator('svg').screenshot({ path: path.join(ext, 'images', 'icon.png'), omitBackground: true });
} finally {
    await browser.close();
}
console.log(path.join(ext, 'images', 'icon.png'));
