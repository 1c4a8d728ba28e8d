// Captions under Falsify charts as the Falsifiability panel reads their cells: the extension
// (src/vscode/lint/captions.ts) sends the text for each chart output by id, on request and after
// every lint. Until an answer arrives, and where the renderer has no messaging, a caption keeps the
// chart's own description (render.ts).
import type { RendererContext } from "./api";

export class LintedCaptions {
  private readonly known = new Map<string, string>();
  private readonly shown = new Map<string, HTMLElement>();

  constructor(private readonly context: RendererContext) {
    context.onDidReceiveMessage?.((message) => {
      const captions = (message as { type?: unknown; captions?: unknown }).type === "captions" ? (message as { captions: unknown }).captions : undefined;
      if (typeof captions !== "object" || captions === null) return;
      for (const [id, text] of Object.entries(captions)) {
        if (typeof text !== "string") continue;
        this.known.set(id, text);
        const element = this.shown.get(id);
        if (element) show(element, text);
      }
    });
  }

  /** Puts the linter's caption of output `id` in `element`, now when known, else when it arrives. */
  attach(id: string, element: HTMLElement): void {
    this.shown.set(id, element);
    const text = this.known.get(id);
    if (text !== undefined) show(element, text);
    else this.context.postMessage?.({ type: "captions?", outputIds: [id] });
  }

  detach(id: string): void {
    this.shown.delete(id);
  }
}

function show(element: HTMLElement, text: string): void {
  element.textContent = text;
  element.dataset.source = "linter";
}
