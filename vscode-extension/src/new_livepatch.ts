// SPDX-License-Identifier: GPL-2.0-only
// "New Livepatch": a module directory from templates/ (C source with klp_func/klp_object/klp_patch,
// Kbuild, Makefile and a .klp-lsp.json project file).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';

export interface LivepatchRequest {
    /** Module name; a C identifier, since kbuild turns `-` into `_` and klp-lsp flags module names with `-`. */
    name: string;
    /** The function being replaced. */
    function: string;
    /** The object that holds it: `vmlinux` or a module name. */
    object: string;
    /** The directory the module directory is created in. */
    parent: string;
    /** Value for .klp-lsp.json's `kernel`; default: the release of the running kernel. */
    kernel?: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export async function newLivepatch(context: vscode.ExtensionContext, where?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const name = await vscode.window.showInputBox({
        title: 'New Livepatch (1/3): module name',
        value: 'livepatch_fix',
        validateInput: (value) => IDENTIFIER.test(value) ? undefined : 'Use letters, digits and _ (kbuild renames - to _).',
    });
    if (!name) {
        return undefined;
    }
    const fn = await vscode.window.showInputBox({
        title: 'New Livepatch (2/3): function to replace',
        value: 'cmdline_proc_show',
        validateInput: (value) => IDENTIFIER.test(value) ? undefined : 'A C function name.',
    });
    if (!fn) {
        return undefined;
    }
    const object = await vscode.window.showInputBox({
        title: 'New Livepatch (3/3): object holding it',
        value: 'vmlinux',
        prompt: '"vmlinux" or the name of the module that defines the function',
        validateInput: (value) => /^[A-Za-z0-9_-]+$/.test(value) ? undefined : 'vmlinux or a module name.',
    });
    if (!object) {
        return undefined;
    }
    const parent = where?.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!parent) {
        void vscode.window.showErrorMessage('New Livepatch: open a folder first.');
        return undefined;
    }
    const kernel = vscode.workspace.getConfiguration('klp').get<string | null>('kernel') ?? undefined;
    try {
        const source = writeLivepatch(context.extensionPath, { name, function: fn, object, parent, kernel });
        const document = await vscode.workspace.openTextDocument(source);
        await vscode.window.showTextDocument(document);
        return vscode.Uri.file(source);
    } catch (error) {
        void vscode.window.showErrorMessage(`New Livepatch: ${(error as Error).message}`);
        return undefined;
    }
}

/** Writes the module directory and returns the C file's path; refuses to overwrite anything. */
export function writeLivepatch(extensionPath: string, request: LivepatchRequest): string {
    const dir = path.join(request.parent, request.name);
    if (fs.existsSync(dir)) {
        throw new Error(`${dir} already exists`);
    }
    const templates = path.join(extensionPath, 'templates');
    const fill = (template: string) => render(fs.readFileSync(path.join(templates, template), 'utf8'), request);
    const files: [string, string][] = [
        [`${request.name}.c`, fill('livepatch.c.tmpl')],
        ['Kbuild', fill('Kbuild.tmpl')],
        ['Makefile', fill('Makefile.tmpl')],
        ['.klp-lsp.json', JSON.stringify({ kernel: request.kernel ?? os.release() }, null, 2) + '\n'],
    ];
    fs.mkdirSync(dir, { recursive: true });
    for (const [file, text] of files) {
        fs.writeFileSync(path.join(dir, file), text, { flag: 'wx' });
    }
    return path.join(dir, `${request.name}.c`);
}

export function render(template: string, request: LivepatchRequest): string {
    const inVmlinux = request.object === 'vmlinux';
    const known = request.function === 'cmdline_proc_show';
    const values: Record<string, string> = {
        name: request.name,
        function: request.function,
        objectLabel: inVmlinux ? 'vmlinux' : `module ${request.object}`,
        objectField: inVmlinux ? '/* name being NULL means vmlinux */' : `.name = "${request.object}",`,
        includes: known ? '#include <linux/seq_file.h>\n' : '',
        replacement: known
            ? 'static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)\n' +
              '{\n\tseq_printf(m, "%s\\n", "this has been live patched");\n\treturn 0;\n}\n'
            : `/* Give this the signature of ${request.function}() and the fixed body. */\n` +
              `static void livepatch_${request.function}(void)\n{\n}\n`,
    };
    // Empty or multi-line values leave runs of blank lines: keep at most one.
    return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole).replace(/\n{3,}/g, '\n\n');
}
