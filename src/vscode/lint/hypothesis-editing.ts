// Writing hypothesis cells: completion of field names (and of enum values such as test kinds) and
// hover docs for fields, from the hypothesis schema's descriptions.
import * as vscode from "vscode";
import { FIELD_VALUES, fieldAt, fieldsFor, scopeAt } from "../../core/hypothesis";

export class HypothesisCompletion implements vscode.CompletionItemProvider {
  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    const text = document.getText();
    const before = document.lineAt(position.line).text.slice(0, position.character);
    const valueOf = /^\s*(?:-\s+)?([A-Za-z]+):\s*\S*$/.exec(before);
    if (valueOf) {
      const field = fieldAt(text, position.line)?.field;
      return (field ? (FIELD_VALUES[field] ?? []) : []).map((value) => new vscode.CompletionItem(value, vscode.CompletionItemKind.EnumMember));
    }
    if (!/^\s*(?:-\s+)?[A-Za-z]*$/.test(before)) return [];
    return fieldsFor(scopeAt(text, position.line)).map(({ field, docs }) => {
      const name = field.slice(field.lastIndexOf(".") + 1);
      const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Field);
      item.insertText = new vscode.SnippetString(["baselines", "alternatives"].includes(field) ? `${name}:\n  - $0` : field === "test" ? `${name}:\n  kind: $0` : `${name}: $0`);
      item.documentation = new vscode.MarkdownString(docs);
      return item;
    });
  }
}

export class HypothesisHover implements vscode.HoverProvider {
  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const info = fieldAt(document.getText(), position.line);
    if (!info) return undefined;
    const line = document.lineAt(position.line).text;
    const name = info.field.slice(info.field.lastIndexOf(".") + 1);
    const start = line.indexOf(name);
    if (position.character < start || position.character > start + name.length) return undefined;
    const values = FIELD_VALUES[info.field];
    const markdown = new vscode.MarkdownString(`**${info.field}**\n\n${info.docs}${values ? `\n\nValues: ${values.map((v) => `\`${v}\``).join(", ")}` : ""}`);
    return new vscode.Hover(markdown, new vscode.Range(position.line, start, position.line, start + name.length));
  }
}
