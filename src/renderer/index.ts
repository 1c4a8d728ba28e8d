// The notebook renderer's entry (bundled to dist/renderer.js, loaded in the notebook webview). It
// only wires VS Code's renderer API to `render`: one live view per output id, finalized before that
// output is drawn again or when VS Code disposes it, redrawn when the editor theme changes, chart
// captions kept as the linter reads the cell, and nothing but a notice in an untrusted workspace.
import type { OutputItem, RendererApi, RendererContext } from "./api";
import { LintedCaptions } from "./captions";
import { render, type RenderedOutput } from "./render";
import { editorTheme } from "./theme";

export function activate(context: RendererContext): RendererApi {
  const live = new Map<string, { output: Promise<RenderedOutput>; item: OutputItem; element: HTMLElement }>();
  const captions = new LintedCaptions(context);

  const dispose = (id: string) => {
    const entry = live.get(id);
    live.delete(id);
    captions.detach(id);
    void entry?.output.then((output) => output.dispose());
  };

  const draw = (item: OutputItem, element: HTMLElement) => {
    dispose(item.id);
    const output = render({ container: element, mime: item.mime, value: item.json(), theme: editorTheme(element.ownerDocument.body) });
    live.set(item.id, { output, item, element });
    void output.then(() => {
      const caption = element.querySelector<HTMLElement>(".falsify-chart__caption");
      // Only the latest drawing of this output: a redraw may have replaced this one meanwhile.
      if (caption && live.get(item.id)?.output === output) captions.attach(item.id, caption);
    });
    return output;
  };

  // VS Code changes body classes and CSS variables in place on a theme switch; charts have their
  // colours baked in, so redraw them, but only when the theme really changed (the webview touches
  // these attributes for other reasons too).
  let theme = themeKey(document.body);
  const observer = new MutationObserver(() => {
    const now = themeKey(document.body);
    if (now === theme) return;
    theme = now;
    for (const { item, element } of [...live.values()]) void draw(item, element);
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ["class", "style"] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["class", "style"] });

  return {
    async renderOutputItem(item, element) {
      if (!context.workspace.isTrusted) {
        element.innerHTML = `<p class="falsify-notice" role="note">Charts and verdicts are not drawn in an untrusted workspace. Trust the workspace to see this output.</p>`;
        return;
      }
      await draw(item, element);
    },
    disposeOutputItem(id) {
      if (id !== undefined) dispose(id);
      else for (const key of [...live.keys()]) dispose(key);
    },
  };
}

/** The theme as the charts see it, comparable across mutations. */
function themeKey(body: HTMLElement): string {
  return JSON.stringify(editorTheme(body));
}
