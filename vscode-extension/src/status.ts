// SPDX-License-Identifier: GPL-2.0-only
// The status bar item: kernel in use and index state; clicking it opens the command menu.
import * as vscode from 'vscode';
import type { WorkDoneProgressBegin, WorkDoneProgressEnd, WorkDoneProgressReport } from 'vscode-languageclient/node';
import { IndexStatusParams } from './lsp_ext';

export type ServerPhase = 'starting' | 'running' | 'stopped' | 'noJava' | 'failed';

export class StatusItem implements vscode.Disposable {
    private readonly item: vscode.StatusBarItem;
    private phase: ServerPhase = 'starting';
    private phaseDetail = '';
    private index: IndexStatusParams | undefined;
    private progress: { title: string; message?: string; percentage?: number } | undefined;
    private sawIndexStatus = false;
    /** How many work-done progress runs the server started (the tests watch a reindex with it). */
    private progressRuns = 0;

    constructor() {
        this.item = vscode.window.createStatusBarItem('klp-lsp.status', vscode.StatusBarAlignment.Left, 10);
        this.item.name = 'Kernel Livepatch';
        this.item.command = 'klp-lsp.showMenu';
        this.render();
        this.item.show();
    }

    /** What the test suite and the menu read. */
    get snapshot(): { phase: ServerPhase; index?: IndexStatusParams; text: string; tooltip: string; progressRuns: number } {
        // The tooltip as a reader sees it: appendText escapes Markdown's punctuation and spaces.
        const markdown = this.item.tooltip instanceof vscode.MarkdownString ? this.item.tooltip.value : String(this.item.tooltip ?? '');
        const tooltip = markdown.replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!~|<>])/g, '$1');
        return { phase: this.phase, index: this.index, text: this.item.text, tooltip, progressRuns: this.progressRuns };
    }

    setPhase(phase: ServerPhase, detail = ''): void {
        this.phase = phase;
        this.phaseDetail = detail;
        if (phase !== 'running') {
            this.progress = undefined;
        }
        this.render();
    }

    setIndexStatus(status: IndexStatusParams): void {
        this.sawIndexStatus = true;
        this.index = status;
        if (status.state !== 'indexing') {
            this.progress = undefined;
        }
        this.render();
    }

    /**
     * Mirrors the server's work-done progress ($/progress). A server that does not send klp/indexStatus
     * still gets a useful item: its indexing progress ends with "N symbols" (ready) or "failed" (error).
     */
    onWorkDoneProgress(params: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd): void {
        if (params.kind === 'begin') {
            this.progressRuns++;
            this.progress = { title: params.title, message: params.message, percentage: params.percentage };
        } else if (params.kind === 'report') {
            this.progress = { title: this.progress?.title ?? 'klp', message: params.message, percentage: params.percentage };
        } else {
            this.progress = undefined;
            if (!this.sawIndexStatus) {
                const count = /^([\d,]+) symbols$/.exec(params.message ?? '');
                if (count) {
                    this.index = { state: 'ready', symbols: Number(count[1].replace(/,/g, '')) };
                } else if (params.message === 'failed') {
                    this.index = { state: 'error', message: 'Indexing failed; "Show Output" has the cause.' };
                }
            }
        }
        this.render();
    }

    /**
     * The kernel as the server names it (klp/indexStatus): "N kernels" when several are configured, else the
     * release the index found, else the kernel as configured; the extension reads no project file itself.
     */
    private kernelName(): string {
        const several = this.index?.kernels?.length ?? 0;
        if (several > 1) {
            return `${several} kernels`;
        }
        return this.index?.release ?? this.index?.kernel ?? 'no kernel';
    }

    private render(): void {
        const kernel = shorten(this.kernelName());
        const tooltip = new vscode.MarkdownString(undefined, true);
        tooltip.appendMarkdown('**Kernel Livepatch (klp-lsp)**\n\n');
        this.item.backgroundColor = undefined;
        switch (this.phase) {
            case 'starting':
                this.item.text = '$(loading~spin) klp: starting';
                tooltip.appendMarkdown('Starting the language server…');
                break;
            case 'noJava':
                this.item.text = '$(error) klp: Java 17+ needed';
                this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
                tooltip.appendText(this.phaseDetail);
                break;
            case 'failed':
            case 'stopped':
                this.item.text = `$(error) klp: server ${this.phase}`;
                this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
                tooltip.appendText(this.phaseDetail || 'The language server is not running. Click for commands.');
                break;
            case 'running':
                this.renderRunning(kernel, tooltip);
                break;
        }
        tooltip.appendMarkdown('\n\n---\n\nClick for klp-lsp commands.');
        this.item.tooltip = tooltip;
    }

    private renderRunning(kernel: string, tooltip: vscode.MarkdownString): void {
        if (this.progress) {
            const percent = this.progress.percentage !== undefined ? ` ${Math.round(this.progress.percentage)}%` : '';
            this.item.text = `$(sync~spin) klp: ${kernel} indexing${percent}`;
            tooltip.appendText(`${this.progress.title}${this.progress.message ? ': ' + this.progress.message : ''}`);
            return;
        }
        switch (this.index?.state) {
            case undefined:
                this.item.text = `$(circle-outline) klp: ${kernel}`;
                tooltip.appendText('Server running; waiting for the kernel index status.');
                break;
            case 'indexing':
                this.item.text = `$(sync~spin) klp: ${kernel} indexing`;
                tooltip.appendText(this.index.message ?? 'Indexing the kernel symbols…');
                break;
            case 'ready': {
                const count = this.index.symbols !== undefined ? ` · ${this.index.symbols.toLocaleString('en-US')} symbols` : '';
                this.item.text = `$(check) klp: ${kernel}${count}`;
                tooltip.appendText(`Kernel index ready${count.replace(' · ', ': ')}.`);
                if (this.index.kernels && this.index.kernels.length > 1) {
                    tooltip.appendText(`\nKernels: ${this.index.kernels.join(', ')}`);
                } else {
                    if (this.index.release) {
                        tooltip.appendText(`\nRelease: ${this.index.release}`);
                    }
                    if (this.index.kernel) {
                        tooltip.appendText(`\nKernel setting: ${this.index.kernel}`);
                    }
                }
                if (this.index.message) {
                    tooltip.appendText(`\n${this.index.message}`);
                }
                break;
            }
            case 'error':
                // Nothing configured is a state to fix, not a failure: the server explains it (or offers a kernel).
                this.item.text = this.index.kernel === undefined ? '$(warning) klp: no kernel' : `$(error) klp: ${kernel} index error`;
                this.item.backgroundColor = new vscode.ThemeColor(this.index.kernel === undefined
                    ? 'statusBarItem.warningBackground' : 'statusBarItem.errorBackground');
                tooltip.appendText(this.index.message ?? 'The kernel index could not be built.');
                break;
        }
    }

    dispose(): void {
        this.item.dispose();
    }
}

/** Long paths become their last two components. */
function shorten(kernel: string): string {
    if (kernel.length <= 32) {
        return kernel;
    }
    const parts = kernel.split('/').filter((part) => part !== '');
    return '…/' + parts.slice(-2).join('/');
}
