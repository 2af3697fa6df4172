// SPDX-License-Identifier: GPL-2.0-only
// Typed view of the `klp.` settings, and the settings object the server receives.
import * as vscode from 'vscode';

export type AnnotationStyle = 'v7' | 'minimal';
export type FunctionReferences = 'error' | 'warning' | 'info' | 'off';
/** One entry of `kernels`: a kernel like `kernel`, or the kernel keys with an optional display name. */
export type KernelEntry = string | { kernel?: string; symbols?: string[]; modules?: string[]; symvers?: string; name?: string };

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
    kernels?: KernelEntry[];
    sympos?: Record<string, string>;
    annotationStyle?: AnnotationStyle;
    convertOnSave?: boolean;
    output?: string;
    functionReferences?: FunctionReferences;
    debugInfo?: string[];
    kernelSource?: string | null;
    buildCommand?: string | null;
    workspaceTrusted: boolean;
}

/** Settings that only the extension uses; changing one needs a server restart. */
export interface LaunchSettings {
    javaHome: string | null;
    serverJar: string | null;
    extraJvmArgs: string[];
    /** How long the server may take to answer `initialize` before it is stopped and explained. */
    startTimeoutSeconds: number;
}

export const SECTION = 'klp';
/** A cold JVM with a cold kernel index answers `initialize` in 1–3 s on 2 busy cores; this leaves room. */
export const DEFAULT_START_TIMEOUT_SECONDS = 30;
export const RESTART_KEYS = ['klp.java.home', 'klp.server.jar', 'klp.server.extraArgs'];

export function launchSettings(): LaunchSettings {
    const config = vscode.workspace.getConfiguration(SECTION);
    return {
        javaHome: nonEmpty(config.get<string | null>('java.home')),
        serverJar: nonEmpty(config.get<string | null>('server.jar')),
        extraJvmArgs: config.get<string[]>('server.extraArgs') ?? [],
        startTimeoutSeconds: Math.max(1, config.get<number>('server.startTimeout') ?? DEFAULT_START_TIMEOUT_SECONDS),
    };
}

/** The settings for the server: what the user set, with what an untrusted workspace may not do switched off. */
export function serverSettings(scope?: vscode.Uri): ServerSettings {
    const config = vscode.workspace.getConfiguration(SECTION, scope ?? firstFolder());
    const trusted = vscode.workspace.isTrusted;
    const settings: ServerSettings = { workspaceTrusted: trusted };
    const kernel = explicit<string | null>(config, 'kernel');
    if (kernel !== undefined) {
        settings.kernel = nonEmpty(kernel);
    }
    const symbols = explicit<string[]>(config, 'symbols');
    if (symbols !== undefined) {
        settings.symbols = symbols.map(nonEmpty).filter(isString);
    }
    const modules = explicit<string[]>(config, 'modules');
    if (modules !== undefined) {
        settings.modules = modules.map(nonEmpty).filter(isString);
    }
    const symvers = explicit<string | null>(config, 'symvers');
    if (symvers !== undefined) {
        settings.symvers = nonEmpty(symvers);
    }
    const kernels = explicit<KernelEntry[]>(config, 'kernels');
    if (kernels !== undefined && kernels.length > 0) {
        settings.kernels = kernels;
    }
    const sympos = explicit<Record<string, string>>(config, 'sympos');
    if (sympos !== undefined && Object.keys(sympos).length > 0) {
        settings.sympos = sympos;
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
    const debugInfo = explicit<string[]>(config, 'debugInfo');
    if (debugInfo !== undefined) {
        settings.debugInfo = debugInfo.map(nonEmpty).filter(isString);
    }
    const kernelSource = explicit<string | null>(config, 'kernelSource');
    if (kernelSource !== undefined) {
        settings.kernelSource = nonEmpty(kernelSource);
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

/** Every key the server reads from the `klp` section (docs/lsp.md, "Settings"). */
const SERVER_KEYS: (keyof ServerSettings)[] = ['kernel', 'symbols', 'modules', 'symvers', 'kernels', 'sympos',
    'annotationStyle', 'convertOnSave', 'output', 'functionReferences', 'debugInfo', 'kernelSource', 'buildCommand',
    'workspaceTrusted'];

/**
 * The settings as an update for a server that already has some (a push or a workspace/configuration answer):
 * the server merges updates key by key, so a key the user no longer sets goes as `null`, which takes it back
 * (the project file's value, or the default, applies again).
 */
export function serverSettingsUpdate(scope?: vscode.Uri): Record<string, unknown> {
    const settings: Record<string, unknown> = { ...serverSettings(scope) };
    for (const key of SERVER_KEYS) {
        if (!(key in settings)) {
            settings[key] = null;
        }
    }
    return settings;
}
