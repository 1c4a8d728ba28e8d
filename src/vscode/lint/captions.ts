// The caption under a Falsify chart says what the Falsifiability panel says of its cell: the same
// checks from the same lint report (core describeChecks), plus what the chart itself draws. The
// renderer asks for the caption of each chart it draws (by output id) and is sent new ones whenever
// the notebook is linted again, so linking a cell and re-running it updates both at once. Without
// this messaging (a renderer outside this extension) the caption falls back to the chart's metadata.
import * as vscode from "vscode";
import { chartMeta, MIME } from "../../core/display";
import { describeChecks, type LintReport } from "../../core/lint";
import type { LintController } from "./controller";

export const RENDERER_ID = "falsify-charts";

/** From the renderer: the captions of these outputs are wanted. */
interface CaptionRequest {
  type: "captions?";
  outputIds: string[];
}

/** To the renderer: caption text by output id. */
export interface CaptionsMessage {
  type: "captions";
  captions: Record<string, string>;
}

export class ChartCaptions implements vscode.Disposable {
  private readonly messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly controller: LintController) {
    this.subscriptions = [
      this.messaging.onDidReceiveMessage(({ editor, message }) => {
        const request = message as Partial<CaptionRequest>;
        if (request?.type !== "captions?" || !Array.isArray(request.outputIds)) return;
        const wanted = new Set(request.outputIds);
        const captions = Object.fromEntries(Object.entries(this.captionsOf(editor.notebook)).filter(([id]) => wanted.has(id)));
        void this.messaging.postMessage({ type: "captions", captions } satisfies CaptionsMessage, editor);
      }),
      controller.onDidLint((notebook) => {
        const editors = vscode.window.visibleNotebookEditors.filter((editor) => editor.notebook === notebook);
        if (!editors.length) return;
        const captions = this.captionsOf(notebook);
        for (const editor of editors) void this.messaging.postMessage({ type: "captions", captions } satisfies CaptionsMessage, editor);
      }),
    ];
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  /** The caption of every Falsify chart output of the notebook, by output id. */
  private captionsOf(notebook: vscode.NotebookDocument): Record<string, string> {
    const report: LintReport | undefined = this.controller.report(notebook) ?? this.controller.lintNow(notebook);
    const captions: Record<string, string> = {};
    for (const picture of report?.pictures ?? []) {
      if (picture.cellIndex >= notebook.cellCount) continue;
      for (const output of notebook.cellAt(picture.cellIndex).outputs) {
        const id = outputId(output);
        const item = output.items.find((candidate) => candidate.mime === MIME.chart);
        if (id && item) captions[id] = describeChecks(picture.checks, picture.hypotheses, chartMeta(parseJson(item.data)));
      }
    }
    return captions;
  }
}

/**
 * The id the renderer knows an output by (its OutputItem.id). VS Code's NotebookCellOutput carries it
 * at run time though the API typings do not declare it; where it is missing, captions stay the chart's own.
 */
function outputId(output: vscode.NotebookCellOutput): string | undefined {
  const id = (output as vscode.NotebookCellOutput & { id?: unknown }).id;
  return typeof id === "string" ? id : undefined;
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}
