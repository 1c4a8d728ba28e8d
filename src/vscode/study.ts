// "Falsify: Take Study": a study's participant page in a webview, for pilots. The page is rendered
// anew from the study JSON inside the file (checked against its schema), never from the file's own
// markup, so no script but Falsify's runs in the webview whatever the file holds. The answers come
// back as a message, are checked against their schema and saved beside the study as
// answers-<code>.json (a free name: an earlier pilot's file is never overwritten).
import * as vscode from "vscode";
import { studyHtml, studyPageJson } from "../core/study/html";
import { StudyAnswers, StudyPage } from "../core/study/schema";

export async function takeStudy(target?: unknown): Promise<void> {
  const uri = target instanceof vscode.Uri ? target : (activeHtml() ?? (await pickStudy()));
  if (!uri) return;
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  const page = StudyPage.safeParse(studyPageJson(text));
  if (!page.success) {
    void vscode.window.showErrorMessage(`Falsify: ${vscode.workspace.asRelativePath(uri)} is not a Falsify study page (write one with writeStudy).`);
    return;
  }
  const panel = vscode.window.createWebviewPanel("falsify.study", `Study: ${page.data.title}`, vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [] });
  panel.webview.html = studyHtml(page.data);
  panel.webview.onDidReceiveMessage(async (message: { type?: string; answers?: unknown }) => {
    if (message?.type !== "answers") return;
    const answers = StudyAnswers.safeParse(message.answers);
    if (!answers.success || answers.data.study !== page.data.id) {
      void panel.webview.postMessage({ type: "save-failed", message: "the answers do not belong to this study" });
      return;
    }
    try {
      const saved = await freeUri(vscode.Uri.joinPath(uri, ".."), `answers-${answers.data.participant.replace(/[^A-Za-z0-9_-]/g, "_")}`);
      await vscode.workspace.fs.writeFile(saved, new TextEncoder().encode(`${JSON.stringify(answers.data, null, 2)}\n`));
      void panel.webview.postMessage({ type: "saved", path: vscode.workspace.asRelativePath(saved) });
    } catch (error) {
      void panel.webview.postMessage({ type: "save-failed", message: (error as Error).message });
    }
  });
}

function activeHtml(): vscode.Uri | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri && uri.path.endsWith(".html") ? uri : undefined;
}

async function pickStudy(): Promise<vscode.Uri | undefined> {
  const [picked] = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { "Falsify study": ["html"] }, openLabel: "Take Study" })) ?? [];
  return picked;
}

/** `<folder>/<stem>.json`, or `<stem>-2.json`, `-3`... : the first name not taken. */
async function freeUri(folder: vscode.Uri, stem: string): Promise<vscode.Uri> {
  for (let k = 1; ; k++) {
    const candidate = vscode.Uri.joinPath(folder, `${stem}${k === 1 ? "" : `-${k}`}.json`);
    try {
      await vscode.workspace.fs.stat(candidate);
    } catch {
      return candidate;
    }
  }
}
