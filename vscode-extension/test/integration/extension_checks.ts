// SPDX-License-Identifier: GPL-2.0-only
// Checks of the extension itself: contributions, commands, Java discovery, the New Livepatch template.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { serverSettings } from '../../src/config';
import { describeMissingJava, findJava, majorOf } from '../../src/java';
import { archiveArgs, archivePath, createArchive } from '../../src/jvm';
import type { KlpExtensionApi } from '../../src/main';
import { writeLivepatch } from '../../src/new_livepatch';
import { assert, Suite } from './harness';

export async function extensionChecks(suite: Suite, extension: vscode.Extension<KlpExtensionApi>): Promise<void> {
    const manifest = extension.packageJSON;

    await suite.check('all commands are registered', async () => {
        const all = new Set(await vscode.commands.getCommands(true));
        const ours: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
        const missing = ours.filter((id) => !all.has(id));
        assert(missing.length === 0, `not registered: ${missing.join(', ')}`);
        return ours.join(', ');
    });

    await suite.check('marketplace metadata: icon, banner, repository, license, categories, keywords, changelog', async () => {
        const icon = fs.readFileSync(path.join(extension.extensionPath, manifest.icon));
        // PNG signature, then the IHDR chunk: width and height big-endian at bytes 16 and 20.
        assert(icon.subarray(1, 4).toString('latin1') === 'PNG', `${manifest.icon} is not a PNG`);
        assert(icon.readUInt32BE(16) === 128 && icon.readUInt32BE(20) === 128, `icon is ${icon.readUInt32BE(16)}x${icon.readUInt32BE(20)}`);
        assert(/^#[0-9a-f]{6}$/i.test(manifest.galleryBanner?.color ?? ''), `galleryBanner ${JSON.stringify(manifest.galleryBanner)}`);
        assert(/^https:\/\//.test(manifest.repository?.url ?? ''), `repository ${JSON.stringify(manifest.repository)}`);
        assert(manifest.license === 'GPL-2.0-only', `license ${manifest.license}`);
        assert(manifest.categories?.length > 0 && manifest.keywords?.length >= 5, 'categories or keywords missing');
        assert(fs.existsSync(path.join(extension.extensionPath, 'CHANGELOG.md')), 'CHANGELOG.md missing');
        return `${manifest.icon}, ${manifest.categories.join(', ')}`;
    });

    await suite.check('walkthrough: three steps, each with its picture and commands that exist', async () => {
        const walkthrough = manifest.contributes.walkthroughs?.find((w: { id: string }) => w.id === 'gettingStarted');
        assert(walkthrough, 'no gettingStarted walkthrough');
        const steps: { id: string; title: string; description: string; media: { image: string } }[] = walkthrough.steps;
        assert(steps.map((step) => step.id).join() === 'pickKernel,checkExample,convertOnSave', `steps ${steps.map((step) => step.id)}`);
        const registered = new Set(await vscode.commands.getCommands(true));
        for (const step of steps) {
            assert(fs.existsSync(path.join(extension.extensionPath, step.media.image)), `${step.id}: ${step.media.image} missing`);
            const commands = [...step.description.matchAll(/\(command:([\w.-]+)\)/g)].map((match) => match[1]);
            assert(commands.length > 0, `${step.id} has no command link`);
            const missing = commands.filter((command) => !registered.has(command));
            assert(missing.length === 0, `${step.id} links unregistered commands: ${missing.join(', ')}`);
        }
        return steps.map((step) => step.title).join(' | ');
    });

    await suite.check('settings: every server key under klp., buildCommand machine-scoped, trust limited', async () => {
        const properties = manifest.contributes.configuration.properties;
        const keys = ['kernel', 'symbols', 'modules', 'symvers', 'kernels', 'sympos', 'annotationStyle', 'convertOnSave', 'output',
            'functionReferences', 'debugInfo', 'kernelSource', 'buildCommand', 'trace.server', 'java.home'];
        const missing = keys.filter((key) => !(`klp.${key}` in properties));
        assert(missing.length === 0, `missing settings: ${missing.join(', ')}`);
        assert(properties['klp.buildCommand'].scope === 'machine', 'klp.buildCommand is not machine-scoped');
        const trust = manifest.capabilities.untrustedWorkspaces;
        assert(trust.supported === 'limited', `untrustedWorkspaces.supported is ${trust.supported}`);
        assert(trust.restrictedConfigurations.includes('klp.buildCommand'), 'buildCommand is not restricted');
    });

    await suite.check('server settings: workspace values reach the server, a workspace cannot set buildCommand', async () => {
        // ci-test.sh gives the workspace a .vscode/settings.json with a build command and functionReferences,
        // and the user (machine) settings a build command of their own.
        const config = vscode.workspace.getConfiguration('klp');
        const build = config.inspect<string>('buildCommand');
        assert(build?.globalValue, 'the test needs klp.buildCommand in the user settings');
        const settings = serverSettings();
        assert(settings.buildCommand === build.globalValue, `buildCommand sent: ${settings.buildCommand}`);
        assert(settings.functionReferences === config.inspect('functionReferences')?.workspaceValue,
            `functionReferences sent: ${settings.functionReferences}`);
        assert(!('kernel' in settings), 'an unset klp.kernel was sent (it would hide .klp-lsp.json\'s kernel)');
        assert(settings.workspaceTrusted === vscode.workspace.isTrusted, 'workspaceTrusted does not match');
        return JSON.stringify(settings);
    });

    await suite.check('Java discovery: a too-old JAVA_HOME is skipped for PATH, and none gives one clear message', async () => {
        const fakeHome = fs.mkdtempSync(path.join(os.tmpdir(), 'klp-old-java-'));
        fs.mkdirSync(path.join(fakeHome, 'bin'));
        const fakeJava = path.join(fakeHome, 'bin', 'java');
        fs.writeFileSync(fakeJava, '#!/bin/sh\necho \'openjdk version "11.0.2" 2019-01-15\' >&2\n', { mode: 0o755 });
        const realJava = await findJava(null);
        assert(realJava.ok, `no Java 17+ on this machine: ${JSON.stringify(realJava.rejected)}`);
        const withPath = await findJava(null, { JAVA_HOME: fakeHome, PATH: path.dirname(realJava.runtime.executable) });
        assert(withPath.ok && withPath.runtime.origin === 'PATH', `expected Java from PATH, got ${JSON.stringify(withPath)}`);
        assert(withPath.rejected[0]?.problem === 'Java 11.0.2 is too old', `rejected: ${JSON.stringify(withPath.rejected)}`);
        const none = await findJava(path.join(fakeHome, 'missing'), { JAVA_HOME: fakeHome, PATH: '' });
        assert(!none.ok, 'found a Java where there is none');
        const message = describeMissingJava(none.rejected);
        for (const part of ['Java 17 or newer', 'klp.java.home: ', 'not found', 'Java 11.0.2 is too old', 'no java on PATH', 'openjdk-17']) {
            assert(message.includes(part), `message lacks "${part}": ${message}`);
        }
        assert(majorOf('1.8.0_402') === 8 && majorOf('17.0.15') === 17 && majorOf('21') === 21, 'majorOf');
        return `${realJava.runtime.version} at ${realJava.runtime.executable}`;
    });

    await suite.check('class-data archive: made for the server jar, mapped by the next JVM, a damaged one ignored', async () => {
        const java = await findJava(null);
        assert(java.ok, 'no Java 17+ on this machine');
        const jar = path.join(extension.extensionPath, 'server', 'klp-lsp.jar');
        const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'klp-cds-'));
        const archive = archivePath(storage, java.runtime.executable, java.runtime.version, jar);
        assert(archiveArgs(archive).length === 0, 'an archive that does not exist is passed to the JVM');
        const problem = await createArchive(java.runtime.executable, jar, archive);
        assert(problem === undefined && fs.existsSync(archive), `no archive: ${problem}`);
        const loads = (args: string[]) => execFileSync(java.runtime.executable, [...args, '-Xlog:class+load', '-jar', jar, '--version'],
            { encoding: 'utf8' });
        const shared = loads(archiveArgs(archive)).split('\n').filter((line) => line.includes('dev.klplsp.cli.Main ')
            && line.includes('shared objects file')).length;
        assert(shared === 1, 'the server\'s main class did not come from the archive');
        const damaged = fs.readFileSync(archive);
        damaged.fill(0xff, damaged.length >> 1, (damaged.length >> 1) + 64);
        fs.chmodSync(archive, 0o644);
        fs.writeFileSync(archive, damaged);
        const fallback = loads(archiveArgs(archive));
        assert(fallback.includes('klp-lsp ') && !fallback.includes('shared objects file'),
            'a damaged archive was used, or the JVM did not run without it');
        fs.rmSync(storage, { recursive: true, force: true });
        return archive;
    });

    await suite.check('New Livepatch writes a module directory; it builds with kbuild when headers are given', async () => {
        const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'klp-new-'));
        const source = writeLivepatch(extension.extensionPath, { name: 'lp_cmdline', function: 'cmdline_proc_show', object: 'vmlinux', parent });
        const dir = path.dirname(source);
        for (const file of ['lp_cmdline.c', 'Kbuild', 'Makefile', '.klp-lsp.json']) {
            assert(fs.existsSync(path.join(dir, file)), `${file} missing`);
        }
        const text = fs.readFileSync(source, 'utf8');
        for (const part of ['static struct klp_func funcs[]', '.old_name = "cmdline_proc_show"', 'static struct klp_patch patch',
            'klp_enable_patch(&patch)', 'MODULE_INFO(livepatch, "Y")', 'module_init(lp_cmdline_init)']) {
            assert(text.includes(part), `${part} missing in the C source`);
        }
        assert(!/\{\{\w+\}\}/.test(text), 'an unfilled placeholder is left');
        assert(fs.readFileSync(path.join(dir, 'Kbuild'), 'utf8').includes('obj-m += lp_cmdline.o'), 'Kbuild');
        const project = JSON.parse(fs.readFileSync(path.join(dir, '.klp-lsp.json'), 'utf8'));
        assert(project.kernel === os.release(), `.klp-lsp.json kernel: ${project.kernel}`);
        let thrown = false;
        try {
            writeLivepatch(extension.extensionPath, { name: 'lp_cmdline', function: 'f', object: 'vmlinux', parent });
        } catch {
            thrown = true;
        }
        assert(thrown, 'a second New Livepatch overwrote the first');
        const kbuild = process.env.KLP_TEST_KBUILD_DIR;
        if (!kbuild) {
            return 'kbuild build skipped (KLP_TEST_KBUILD_DIR unset)';
        }
        execFileSync('make', ['-s', '-C', kbuild, `M=${dir}`, 'modules'], { stdio: 'pipe', timeout: 120000 });
        assert(fs.existsSync(path.join(dir, 'lp_cmdline.ko')), 'kbuild made no lp_cmdline.ko');
        return `built ${path.join(dir, 'lp_cmdline.ko')} against ${kbuild}`;
    });
}
