// The status bar item of the active notebook's kernel: backend and tf.memory(), or why it is down.
import * as vscode from "vscode";
import type { KernelClient } from "../kernel/client";

export class KernelStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("falsify.kernel", vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = "Falsify kernel";
    this.item.command = "falsify.restartKernel";
  }

  starting(): void {
    this.item.text = "$(sync~spin) tfjs: starting";
    this.item.tooltip = "Falsify kernel: loading TensorFlow.js";
    this.item.backgroundColor = undefined;
    this.item.show();
  }

  show(client: KernelClient): void {
    const { tensorflow, nodeVersion, pid } = client.info;
    const backend = tensorflow?.backend ?? "not loaded";
    const memory = client.memory ?? client.info.memory;
    this.item.text = `$(circuit-board) tfjs: ${backend} · ${memory.numTensors} tensors · ${formatBytes(memory.numBytes)}`;
    const tooltip = [`Falsify kernel (pid ${pid}): backend ${backend}, tfjs ${tensorflow?.tfjsVersion ?? "not loaded"}, node ${nodeVersion}`, ...(tensorflow?.notes ?? []), "Click to restart the kernel."];
    this.item.tooltip = tooltip.join("\n");
    this.item.backgroundColor = backend === "cpu" ? new vscode.ThemeColor("statusBarItem.warningBackground") : undefined;
    this.item.show();
  }

  died(reason: string): void {
    this.item.text = "$(error) tfjs: kernel died";
    this.item.tooltip = `kernel died: ${reason}\nClick to restart the kernel.`;
    this.item.backgroundColor = new vscode.ThemeColor("statusBarItem.errorBackground");
    this.item.show();
  }

  hide(): void {
    this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
