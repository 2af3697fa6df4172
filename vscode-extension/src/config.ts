// SPDX-License-Identifier: GPL-2.0-only
// Typed view of the `klp.` settings, and the settings object the server receives.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';

export type AnnotationStyle = 'v7' | 'minimal';
export type FunctionReferences = 'warning' | 'info' | 'off';

/**
 * What the server reads from `initializationOptions`, `workspace/configuration` (section `klp`) and
 * `workspace/didChangeConfiguration` ({settings: {klp: ...}}). The keys are the server's own (docs/lsp.md, "Settings").
 * A key is present only when the user set it in VS Code (user, workspace or folder settings): an absent
 * key leaves the project file `.klp-lsp.json` or the server's default in charge. `workspaceTrusted` is
 * always present; when it is false, `convertOnSave` is false and `buildCommand` is null.
 */
export interface ServerSettings {
    kernel?: string | null;
    symbols?: string[];
    modules?: string[];
    symvers?: string | null;
    annotationStyle?: AnnotationStyle;
    convertOnSave?: boolean;
    output?: string;
    functionReferences?: FunctionReferences;
    buildCommand?: string | null;
    workspaceTrusted: boolean;
}

/** Settings that only the extension uses; changing one needs a server restart. */
export interface LaunchSettings {
    javaHome: string | null;
    serverJar: string | null;
    extraJvmArgs: string[];
}

export const SECTION = 'klp';
export const RESTART_KEYS = ['klp.java.home', 'klp.server.jar', 'klp.server.extraArgs'];

export function launchSettings(): LaunchSettings {
    const config = vscode.workspace.getConfiguration(SECTION);
    return {
        javaHome: nonEmpty(config.get<string | null>('java.home')),
        serverJar: nonEmpty(config.get<string | null>('server.jar')),
        extraJvmArgs: config.get<string[]>('server.extraArgs') ?? [],
    };
}

/** The settings for the server: what the user set, with what an untrusted workspace may not do switched off. */
export function serverSettings(scope?: vscode.Uri): ServerSettings {
    const config = vscode.workspace.getConfiguration(SECTION, scope ?? firstFolder());
    const trusted = vscode.workspace.isTrusted;
    const settings: ServerSettings = { workspaceTrusted: trusted };
    const kernel = explicit<string | null>(config, 'kernel');
    if (kernel !== undefined) {
        settings.kernel = expand(nonEmpty(kernel));
    }
    const symbols = explicit<string[]>(config, 'symbols');
    if (symbols !== undefined) {
        settings.symbols = symbols.map(expand).filter(isString);
    }
    const modules = explicit<string[]>(config, 'modules');
    if (modules !== undefined) {
        settings.modules = modules.map(expand).filter(isString);
    }
    const symvers = explicit<string | null>(config, 'symvers');
    if (symvers !== undefined) {
        settings.symvers = expand(nonEmpty(symvers));
    }
    const annotationStyle = explicit<AnnotationStyle>(config, 'annotationStyle');
    if (annotationStyle !== undefined) {
        settings.annotationStyle = annotationStyle;
    }
    const output = explicit<string>(config, 'output');
    if (output) {
        settings.output = output;
    }
    const functionReferences = explicit<FunctionReferences>(config, 'functionReferences');
    if (functionReferences !== undefined) {
        settings.functionReferences = functionReferences;
    }
    const convertOnSave = explicit<boolean>(config, 'convertOnSave');
    if (!trusted) {
        settings.convertOnSave = false;
        settings.buildCommand = null;
    } else {
        if (convertOnSave !== undefined) {
            settings.convertOnSave = convertOnSave;
        }
        const buildCommand = buildCommandFromUser(config);
        if (buildCommand !== undefined) {
            settings.buildCommand = nonEmpty(buildCommand);
        }
    }
    return settings;
}

/** The value the user set at any level, or undefined when only the default applies. */
function explicit<T>(config: vscode.WorkspaceConfiguration, key: string): T | undefined {
    const inspected = config.inspect<T>(key);
    return inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
}

/** `buildCommand` has machine scope; read only the user's own values, whatever a workspace file says. */
function buildCommandFromUser(config: vscode.WorkspaceConfiguration): string | null | undefined {
    return config.inspect<string | null>('buildCommand')?.globalValue;
}

function firstFolder(): vscode.Uri | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri;
}

function nonEmpty(value: string | null | undefined): string | null {
    return value && value.trim() !== '' ? value.trim() : null;
}

function isString(value: string | null): value is string {
    return value !== null;
}

/** `~` and `${workspaceFolder}` in paths; anything else relative is left to the server (workspace root). */
function expand(value: string | null): string | null {
    if (value === null) {
        return null;
    }
    let result = value;
    const folder = firstFolder();
    if (folder) {
        result = result.replace(/\$\{workspaceFolder\}/g, folder.fsPath);
    }
    if (result === '~' || result.startsWith('~/')) {
        result = path.join(os.homedir(), result.slice(1));
    }
    return result;
}

/**
 * The kernel to show in the status bar before the server names it: the `klp.kernel` setting, else the
 * first `klp.symbols` file, else the project file's `kernel`/`symbols`.
 */
export function displayKernel(): string | null {
    const settings = serverSettings();
    if (settings.kernel) {
        return settings.kernel;
    }
    if (settings.symbols?.length) {
        return path.basename(settings.symbols[0]);
    }
    const folder = firstFolder();
    if (!folder) {
        return null;
    }
    try {
        const project = JSON.parse(fs.readFileSync(path.join(folder.fsPath, '.klp-lsp.json'), 'utf8'));
        if (typeof project.kernel === 'string' && project.kernel !== '') {
            return project.kernel;
        }
        if (Array.isArray(project.symbols) && typeof project.symbols[0] === 'string') {
            return path.basename(project.symbols[0]);
        }
    } catch {
        // No or unreadable project file: the server reports that itself.
    }
    return null;
}
