// SPDX-License-Identifier: GPL-2.0-only
// Finds a Java 17+ runtime: the klp.java.home setting, then JAVA_HOME, then `java` on PATH.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const MINIMUM_JAVA = 17;

export interface JavaRuntime {
    executable: string;
    version: string;
    major: number;
    origin: string;
}

/** One place we looked, and what we found there (for the one error message). */
export interface JavaCandidateReport {
    origin: string;
    executable: string;
    problem: string;
}

export type JavaLookup =
    | { ok: true; runtime: JavaRuntime; rejected: JavaCandidateReport[] }
    | { ok: false; rejected: JavaCandidateReport[] };

export async function findJava(settingJavaHome: string | null, env: NodeJS.ProcessEnv = process.env): Promise<JavaLookup> {
    const candidates: { origin: string; executable: string }[] = [];
    if (settingJavaHome) {
        candidates.push({ origin: 'setting klp.java.home', executable: javaIn(settingJavaHome) });
    }
    if (env.JAVA_HOME) {
        candidates.push({ origin: 'JAVA_HOME', executable: javaIn(env.JAVA_HOME) });
    }
    const onPath = findOnPath(env.PATH ?? '');
    candidates.push({ origin: 'PATH', executable: onPath ?? 'java' });

    const rejected: JavaCandidateReport[] = [];
    for (const candidate of candidates) {
        if (candidate.origin === 'PATH' && !onPath) {
            rejected.push({ ...candidate, problem: 'no java on PATH' });
            continue;
        }
        if (!isExecutable(candidate.executable)) {
            rejected.push({ ...candidate, problem: 'not found or not executable' });
            continue;
        }
        const version = await javaVersion(candidate.executable);
        if (version === undefined) {
            rejected.push({ ...candidate, problem: 'did not report a version (`java -version` failed)' });
            continue;
        }
        const major = majorOf(version);
        if (major < MINIMUM_JAVA) {
            rejected.push({ ...candidate, problem: `Java ${version} is too old` });
            continue;
        }
        return { ok: true, runtime: { executable: candidate.executable, version, major, origin: candidate.origin }, rejected };
    }
    return { ok: false, rejected };
}

/** The one message a user sees when no usable Java is found. */
export function describeMissingJava(rejected: JavaCandidateReport[]): string {
    const found = rejected.map((r) => `${r.origin}: ${r.executable} — ${r.problem}`).join('; ');
    return `klp-lsp needs Java ${MINIMUM_JAVA} or newer to run its language server, and none was found (${found}). ` +
        `Install a Java ${MINIMUM_JAVA}+ runtime (Debian/Ubuntu: "sudo apt install openjdk-17-jre-headless"), ` +
        'then set "klp.java.home" or JAVA_HOME, or put java on PATH, and run "Kernel Livepatch: Restart Server".';
}

function javaIn(home: string): string {
    return path.join(home, 'bin', process.platform === 'win32' ? 'java.exe' : 'java');
}

function findOnPath(searchPath: string): string | undefined {
    const name = process.platform === 'win32' ? 'java.exe' : 'java';
    for (const dir of searchPath.split(path.delimiter)) {
        if (dir === '') {
            continue;
        }
        const candidate = path.join(dir, name);
        if (isExecutable(candidate)) {
            return candidate;
        }
    }
    return undefined;
}

function isExecutable(file: string): boolean {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
}

/** `java -version` prints e.g. `openjdk version "17.0.15" 2025-04-15` (or `"1.8.0_402"`) on stderr. */
function javaVersion(executable: string): Promise<string | undefined> {
    return new Promise((resolve) => {
        execFile(executable, ['-version'], { timeout: 15000 }, (error, stdout, stderr) => {
            const match = /version "([^"]+)"/.exec(`${stderr}\n${stdout}`);
            resolve(error && !match ? undefined : match?.[1]);
        });
    });
}

export function majorOf(version: string): number {
    const parts = version.split(/[._+-]/).map((part) => parseInt(part, 10));
    return parts[0] === 1 && parts.length > 1 ? parts[1] : parts[0];
}
