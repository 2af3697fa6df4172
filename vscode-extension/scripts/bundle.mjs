// SPDX-License-Identifier: GPL-2.0-only
// Bundles the extension (dist/main.js) and the integration test payload (out/test/integration.js).
import * as esbuild from 'esbuild';

const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: true,
    logLevel: 'warning',
};
await esbuild.build({ ...common, entryPoints: ['src/main.ts'], outfile: 'dist/main.js', minify: process.argv.includes('--minify') });
await esbuild.build({ ...common, entryPoints: ['test/integration/index.ts'], outfile: 'out/test/integration.js' });
