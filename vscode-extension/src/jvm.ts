// SPDX-License-Identifier: GPL-2.0-only
// The JVM options the language server starts with: settings measured for a long-running server
// (docs/benchmarks.md, "Launcher settings"), and an application class-data-sharing archive of the server jar,
// made once per Java and jar in the extension's storage, as ./klp-lsp makes one in server/target.
import { execFile } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** Chosen for `serve` (docs/benchmarks.md); klp.server.extraArgs come after these, so the user's win. */
export const SERVER_JVM_ARGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xms32m', '-Xmx1g'];

/**
 * The archive for one Java runtime and one jar: the JVM refuses an archive made by another build of itself or
 * from another jar, so the name depends on both (executable, version, jar path, size and modification time).
 */
export function archivePath(storageDir: string, java: string, javaVersion: string, jar: string): string {
    const stat = fs.statSync(jar);
    const key = [java, javaVersion, path.resolve(jar), stat.size, stat.mtimeMs].join('\n');
    const hash = crypto.createHash('sha256').update(key).digest('hex').slice(0, 16);
    return path.join(storageDir, `klp-lsp-${hash}.jsa`);
}

/**
 * The options that make the JVM map the archive, or none when it does not exist yet. The JVM checks the
 * archive (its checksums, the jar, its own build) and runs without it when anything is off, so a stale or
 * damaged archive makes the start slower, never failed.
 */
export function archiveArgs(archive: string): string[] {
    return fs.existsSync(archive) ? [`-XX:SharedArchiveFile=${archive}`, '-XX:+VerifySharedSpaces', '-Xshare:auto'] : [];
}

/**
 * Makes the archive for the next start, in the background: a training run of the jar lists the classes every
 * command loads, a second run dumps them. Written under a temporary name and renamed, so a start never sees
 * half an archive; older archives of this storage directory are removed. Resolves to an error message or
 * undefined.
 */
export async function createArchive(java: string, jar: string, archive: string): Promise<string | undefined> {
    const dir = path.dirname(archive);
    const tmp = `${archive}.${process.pid}.tmp`;
    const classes = `${tmp}.classes`;
    const classPath = path.resolve(jar);
    try {
        fs.mkdirSync(dir, { recursive: true });
        await run(java, [`-XX:DumpLoadedClassList=${classes}`, '-cp', classPath, 'dev.klplsp.cli.CdsTraining']);
        await run(java, ['-Xshare:dump', `-XX:SharedClassListFile=${classes}`, `-XX:SharedArchiveFile=${tmp}`, '-cp', classPath]);
        fs.renameSync(tmp, archive);
        for (const old of fs.readdirSync(dir)) {
            if (/^klp-lsp-[0-9a-f]{16}\.jsa$/.test(old) && path.join(dir, old) !== archive) {
                fs.rmSync(path.join(dir, old), { force: true });
            }
        }
        return undefined;
    } catch (error) {
        fs.rmSync(tmp, { force: true });
        return String(error);
    } finally {
        fs.rmSync(classes, { force: true });
    }
}

function run(command: string, args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
        execFile(command, args, { timeout: 120_000, maxBuffer: 1 << 20 }, (error) => (error ? reject(error) : resolve()));
    });
}
