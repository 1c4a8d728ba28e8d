// The part of VS Code's notebook renderer API this renderer uses (the `vscode-notebook-renderer`
// contract: an ES module whose `activate(context)` returns the output-item callbacks).
export interface RendererContext {
  readonly workspace: { readonly isTrusted: boolean };
  /** Present when the renderer declares `requiresMessaging` and its extension is running. */
  postMessage?(message: unknown): void;
  onDidReceiveMessage?(listener: (message: unknown) => void): { dispose(): void };
}

export interface OutputItem {
  readonly id: string;
  readonly mime: string;
  json(): unknown;
  text(): string;
}

export interface RendererApi {
  renderOutputItem(item: OutputItem, element: HTMLElement, signal?: AbortSignal): void | Promise<void>;
  disposeOutputItem?(id?: string): void;
}
