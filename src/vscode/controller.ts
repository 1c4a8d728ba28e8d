// The NotebookController: runs typescript and hypothesis cells of Falsify notebooks in one kernel
// process per notebook (src/kernel/client.ts does the work; this is glue). Cells run one after
// another; when one fails or is interrupted, the cells queued after it are not run.
import { dirname, join } from "node:path";
import * as vscode from "vscode";
import { notebookSeed } from "../core/cell/environment";
import { outputItemToBytes } from "../core/format";
import type { LateErrorEvent, RunEvent, TaskProgress } from "../core/kernel/protocol";
import { describeProgress } from "../core/progress";
import { describeTensorFlow, KernelClient, type RunResult } from "../kernel/client";
import { KernelStatus } from "./kernel-status";
import { fileMetadata } from "./notebook";
import { log, reportError } from "./log";
import { NOTEBOOK_TYPE } from "./serializer";

const CONTROLLER_ID = "falsify-kernel";
const LANGUAGES = ["typescript", "hypothesis"];
const UNTRUSTED =
  "Falsify runs cell code only in a trusted workspace. Trust this folder (Workspaces: Manage Workspace Trust) to run cells.";

/** One notebook's kernel and run queue. */
interface NotebookKernel {
  client: Promise<KernelClient>;
  queue: Promise<unknown>;
  /** The process died: the next run starts a new kernel. */
  dead: boolean;
}

export function registerKernelController(context: vscode.ExtensionContext): vscode.Disposable {
  const controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, "Falsify (TensorFlow.js)");
  controller.supportedLanguages = LANGUAGES;
  controller.supportsExecutionOrder = true;
  controller.description = "TypeScript on TensorFlow.js";
  const kernels = new Map<string, NotebookKernel>();
  const status = new KernelStatus();

  const kernelFor = (notebook: vscode.NotebookDocument): NotebookKernel => {
    const key = notebook.uri.toString();
    let kernel = kernels.get(key);
    if (!kernel || kernel.dead) {
      kernel = { client: startKernel(context, controller, notebook, status), queue: Promise.resolve(), dead: false };
      kernels.set(key, kernel);
    }
    return kernel;
  };

  controller.executeHandler = (cells, notebook) => {
    if (!vscode.workspace.isTrusted) return refuseUntrusted(controller, cells);
    const kernel = kernelFor(notebook);
    const executable = notebook.getCells().filter((cell) => cell.kind === vscode.NotebookCellKind.Code && LANGUAGES.includes(cell.document.languageId));
    const seed = notebookSeed(fileMetadata(notebook));
    const runAll = executable.every((cell) => cells.includes(cell));
    // Queued cells show as pending at once; they run in order on the notebook's queue.
    const executions = cells.map((cell) => controller.createNotebookCellExecution(cell));
    kernel.queue = kernel.queue.then(() => runQueue(kernel, executions, runAll ? seed : undefined));
  };

  controller.interruptHandler = async (notebook) => {
    const client = await kernels.get(notebook.uri.toString())?.client.catch(() => undefined);
    if (!client) return;
    client.interrupt();
    // Cell code stops within a second; code the kernel cannot instrument (a loop in an imported
    // module or a native call) may not. Offer the way out that always works.
    setTimeout(() => {
      if (!client.alive || !client.busy) return;
      const message = "The cell did not stop within 3 seconds (code outside the notebook's cells cannot be interrupted). Restart the kernel? Its state will be lost.";
      void vscode.window.showWarningMessage(message, "Restart Kernel").then((choice) => {
        if (choice && client.busy) void vscode.commands.executeCommand("falsify.restartKernel");
      });
    }, 3000);
  };

  const restart = async () => {
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    if (!notebook || notebook.notebookType !== NOTEBOOK_TYPE) return;
    const key = notebook.uri.toString();
    (await kernels.get(key)?.client.catch(() => undefined))?.dispose();
    kernels.delete(key);
    if (vscode.workspace.isTrusted) kernelFor(notebook);
  };

  const disposeKernel = async (key: string) => {
    const kernel = kernels.get(key);
    kernels.delete(key);
    (await kernel?.client.catch(() => undefined))?.dispose();
  };

  const preferFor = (notebook: vscode.NotebookDocument) => {
    if (notebook.notebookType === NOTEBOOK_TYPE) controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
  };
  vscode.workspace.notebookDocuments.forEach(preferFor);

  // A Falsify notebook shown in an editor gets its kernel now, not on the first Run: loading tfjs-node
  // (a second or more) happens while the user reads. Only in a trusted workspace, which may run code.
  const warm = (editor: vscode.NotebookEditor | undefined) => {
    if (editor?.notebook.notebookType === NOTEBOOK_TYPE && vscode.workspace.isTrusted) kernelFor(editor.notebook);
  };
  warm(vscode.window.activeNotebookEditor);

  return vscode.Disposable.from(
    controller,
    status,
    vscode.commands.registerCommand("falsify.restartKernel", restart),
    vscode.commands.registerCommand("falsify.interruptKernel", async () => {
      const notebook = vscode.window.activeNotebookEditor?.notebook;
      if (notebook) await controller.interruptHandler?.(notebook);
    }),
    // The one kernel for Falsify notebooks: preselect it so running a cell never asks.
    vscode.workspace.onDidOpenNotebookDocument((notebook) => preferFor(notebook)),
    vscode.workspace.onDidCloseNotebookDocument((notebook) => void disposeKernel(notebook.uri.toString())),
    vscode.window.onDidChangeActiveNotebookEditor((editor) => {
      warm(editor);
      const kernel = editor && kernels.get(editor.notebook.uri.toString());
      if (kernel) void kernel.client.then((client) => status.show(client), () => status.hide());
      else status.hide();
    }),
    { dispose: () => [...kernels.keys()].forEach((key) => void disposeKernel(key)) },
  );
}

/** Runs queued cells in order; after a failure the rest are not run. Every execution is ended. */
async function runQueue(kernel: NotebookKernel, executions: vscode.NotebookCellExecution[], seed: number | undefined): Promise<void> {
  let next = 0;
  try {
    const client = await kernel.client.catch((error: Error) => error);
    if (client instanceof Error) {
      kernel.dead = true;
      next = executions.length;
      return failAll(executions, client.message);
    }
    if (seed !== undefined) await client.seed(seed);
    for (; next < executions.length; next++) {
      const result = await runCell(client, executions[next]);
      // (A real death also shows in the status bar, through the client's onDeath.)
      if (result.status === "died") kernel.dead = true;
      if (result.status !== "ok") {
        next++;
        break;
      }
    }
  } catch (error) {
    reportError("Falsify could not run the cell.", error);
    try {
      executions[next]?.end(false, Date.now());
    } catch {
      // it had ended already
    }
    next++;
  } finally {
    // Cells queued after a failure: leave them as they were, not run.
    for (const execution of executions.slice(next)) {
      execution.start();
      execution.end(undefined);
    }
  }
}

function startKernel(context: vscode.ExtensionContext, controller: vscode.NotebookController, notebook: vscode.NotebookDocument, status: KernelStatus): Promise<KernelClient> {
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
  const notebookDir = notebook.uri.scheme === "file" ? dirname(notebook.uri.fsPath) : (folders[0] ?? context.extensionPath);
  status.starting();
  const settings = vscode.workspace.getConfiguration("falsify.kernel", notebook.uri);
  const backend = settings.get<string>("backend");
  const started = KernelClient.start({
    notebookDir,
    seed: notebookSeed(fileMetadata(notebook)),
    maxOutputChars: settings.get<number>("maxOutputChars"),
    prefer: backend === "tensorflow" || backend === "wasm" || backend === "cpu" ? backend : undefined,
    searchFrom: [...folders, context.extensionPath],
    kernelScript: join(context.extensionPath, "dist", "kernel.js"),
    onLog: (text, level) => (level === "error" ? log().error(text.trimEnd()) : log().info(text.trimEnd())),
  });
  started.then(
    (client) => {
      const { pid, tensorflow, nodeVersion } = client.info;
      log().info(`kernel ${pid} started for ${notebook.uri.fsPath}: ${tensorflow ? `${describeTensorFlow(tensorflow)}, ` : ""}node ${nodeVersion}`);
      for (const note of tensorflow?.notes ?? []) log().info(`backend: ${note}`);
      client.onLateError((event) => void showLateError(controller, notebook, event));
      client.onMemory(() => {
        if (vscode.window.activeNotebookEditor?.notebook === notebook) status.show(client);
      });
      client.onDeath((reason) => {
        status.died(reason);
        void vscode.window.showErrorMessage(`Falsify kernel died: ${reason}. Your notebook edits are untouched.`, "Restart Kernel").then((choice) => {
          if (choice) void vscode.commands.executeCommand("falsify.restartKernel");
        });
      });
      status.show(client);
    },
    (error: Error) => {
      status.died(error.message);
      log().error(error.message);
    },
  );
  return started;
}

async function runCell(client: KernelClient, execution: vscode.NotebookCellExecution): Promise<RunResult> {
  const cell = execution.cell;
  execution.start(Date.now());
  await execution.clearOutput();
  const streams = new StreamOutputs(execution);
  const result = await client.execute(
    { source: cell.document.getText(), language: cell.document.languageId === "hypothesis" ? "hypothesis" : "typescript", cellId: cellId(cell) },
    (event, output) => streams.add(event, output),
  );
  await streams.flushed;
  if (result.status === "died") {
    await execution.appendOutput(errorOutput({ name: "KernelDied", message: `kernel died: ${result.died}`, stack: "" }));
  }
  if (result.execution) {
    execution.executionOrder = result.execution.order;
    await recordExecution(cell, result);
  }
  const end = result.execution?.startTime !== undefined && result.execution.durationMs !== undefined ? result.execution.startTime + result.execution.durationMs : Date.now();
  execution.end(result.status === "ok", Math.round(end));
  return result;
}

/** An error a cell's code raised after its run ended: appended to that cell, which ends failed. */
async function showLateError(controller: vscode.NotebookController, notebook: vscode.NotebookDocument, event: LateErrorEvent): Promise<void> {
  const cell = notebook.getCells().find((candidate) => event.cellId !== undefined && cellId(candidate) === event.cellId);
  try {
    if (!cell) throw new Error("its cell is no longer in the notebook");
    const execution = controller.createNotebookCellExecution(cell);
    execution.executionOrder = event.order;
    execution.start(Date.now());
    await execution.appendOutput(errorOutput(event.error));
    execution.end(false, Date.now());
  } catch (error) {
    // The cell is gone or running again: the log keeps the error.
    log().error(`cell ${event.cellId ?? `[${event.order}]`} raised after its run ended (${(error as Error).message}): ${event.error.stack}`);
  }
}

/**
 * Appends a run's events to the cell as they come, where the kernel client put them (core's
 * addOutput): a console chunk that joined the last output is appended to it as one more item.
 */
class StreamOutputs {
  flushed: Promise<unknown> = Promise.resolve();
  private readonly outputs: vscode.NotebookCellOutput[] = [];
  /** Every output in the cell, in order, progress outputs included. */
  private readonly shown: vscode.NotebookCellOutput[] = [];
  /** The progress output of each task still running. */
  private readonly tasks = new Map<number, vscode.NotebookCellOutput>();

  constructor(private readonly execution: vscode.NotebookCellExecution) {}

  add(event: RunEvent, index: number): void {
    this.flushed = this.flushed.then(() => this.append(event, index));
  }

  private async append(event: RunEvent, index: number): Promise<void> {
    if (event.type === "done") return;
    if (event.type === "progress") return this.progress(event.progress);
    if (event.type === "stream") {
      const item = event.name === "stdout" ? vscode.NotebookCellOutputItem.stdout(event.text) : vscode.NotebookCellOutputItem.stderr(event.text);
      const joined = this.outputs[index];
      if (joined) return this.execution.appendOutputItems(item, joined);
      return this.show(index, new vscode.NotebookCellOutput([item]));
    }
    if (event.type === "display") {
      return this.show(index, new vscode.NotebookCellOutput(event.items.map((item) => new vscode.NotebookCellOutputItem(outputItemToBytes(item), item.mime))));
    }
    return this.show(index, errorOutput(event.error));
  }

  private show(index: number, output: vscode.NotebookCellOutput): Thenable<void> {
    this.outputs[index] = output;
    this.shown.push(output);
    return this.execution.appendOutput(output);
  }

  /**
   * A long call's progress: one output per task, its text replaced at each report, removed when the
   * task ends (it is no result of the run: the kernel client's outputs, which the notebook records
   * and hashes, never hold it).
   */
  private async progress(progress: TaskProgress): Promise<void> {
    const output = this.tasks.get(progress.task);
    if (progress.final) {
      if (!output) return;
      this.tasks.delete(progress.task);
      this.shown.splice(this.shown.indexOf(output), 1);
      return this.execution.replaceOutput(this.shown);
    }
    const item = vscode.NotebookCellOutputItem.text(describeProgress(progress));
    if (output) return this.execution.replaceOutputItems(item, output);
    const created = new vscode.NotebookCellOutput([item]);
    this.tasks.set(progress.task, created);
    this.shown.push(created);
    return this.execution.appendOutput(created);
  }
}

function errorOutput(error: { name: string; message: string; stack: string }): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error({ name: error.name, message: error.message, stack: error.stack })]);
}

/**
 * Keeps what the kernel recorded about the run in the cell's `execution` (saved in the file), with
 * the hash of its outputs the client computed, as `falsify run` records it: export then refuses
 * outputs edited by hand since.
 */
async function recordExecution(cell: vscode.NotebookCell, result: RunResult): Promise<void> {
  const execution = result.execution;
  const edit = new vscode.WorkspaceEdit();
  edit.set(cell.notebook.uri, [vscode.NotebookEdit.updateCellMetadata(cell.index, { ...cell.metadata, execution })]);
  await vscode.workspace.applyEdit(edit);
}

function cellId(cell: vscode.NotebookCell): string | undefined {
  const id = (cell.metadata as { id?: unknown }).id;
  return typeof id === "string" ? id : undefined;
}

function refuseUntrusted(controller: vscode.NotebookController, cells: vscode.NotebookCell[]): void {
  for (const cell of cells) {
    const execution = controller.createNotebookCellExecution(cell);
    execution.start(Date.now());
    void execution.replaceOutput(errorOutput({ name: "Untrusted workspace", message: UNTRUSTED, stack: "" }));
    execution.end(false, Date.now());
  }
  void vscode.window.showWarningMessage(UNTRUSTED, "Manage Workspace Trust").then((choice) => {
    if (choice) void vscode.commands.executeCommand("workbench.trust.manage");
  });
}

function failAll(executions: vscode.NotebookCellExecution[], message: string): void {
  executions.forEach((execution, index) => {
    execution.start(Date.now());
    if (index === 0) void execution.replaceOutput(errorOutput({ name: "KernelDied", message: `kernel died: ${message}`, stack: "" }));
    execution.end(index === 0 ? false : undefined, Date.now());
  });
}
