// What a chart may load, wherever it is drawn (the notebook webview, `renderSvg`, `falsify run
// --svg-dir`, exported scripts). A chart spec in a `.falsify` file is untrusted input: vega's default
// loader would fetch any URL and read any file (`data.url: "file:///etc/passwd"` lands in the SVG).
// This loader fetches nothing from the network and reads a file only through `readFile`, which
// the Node side supplies when the user allowed files inside the notebook's folder.

/** vega's loader interface (vega-loader), structurally: vega calls the first four. */
export interface ChartLoader {
  load(uri: string, options?: unknown): Promise<string>;
  sanitize(uri: string, options?: { context?: string }): Promise<{ href?: string | null }>;
  http(uri: string, options?: unknown): Promise<string>;
  file(path: string): Promise<string>;
  /**
   * Why each data load failed. vega only logs a failed load and draws the chart without the data,
   * which would pass an empty chart off as a result; the caller reports these instead.
   */
  failures: string[];
}

/** Reads a chart's data file (a relative path or file: URL), or rejects saying why it may not. */
export type ChartFileReader = (uri: string) => Promise<string>;

/** Links a chart may carry: they open only when the reader clicks them, and run nothing. */
const LINK = /^(https?|mailto):/i;
/** Images drawn from the spec's own bytes; anything else would be a request. */
const INLINE_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,/i;

export function chartLoader(readFile?: ChartFileReader): ChartLoader {
  const failures: string[] = [];
  const refuse = (uri: string): Promise<never> =>
    Promise.reject(
      new Error(
        `charts load no data from outside the spec (${JSON.stringify(uri.slice(0, 200))}): put the values in the spec${readFile ? "; files must be inside the notebook's folder" : ", or allow files inside the notebook's folder (falsify run --allow-chart-files)"}`,
      ),
    );
  const isUrl = (uri: string) => /^[a-z][a-z0-9+.-]*:/i.test(uri) && !/^file:/i.test(uri);
  const load = (uri: unknown) => (typeof uri === "string" && readFile && !isUrl(uri) ? readFile(uri) : refuse(String(uri)));
  return {
    failures,
    load: (uri) =>
      load(uri).catch((error: unknown) => {
        failures.push(error instanceof Error ? error.message : String(error));
        throw error;
      }),
    // vega's SVG writer reads `.href` of what this resolves to and crashes on a rejection (an
    // unhandled one that kills the process), so a link that is not allowed resolves to no link.
    sanitize: (uri, options) => {
      const text = typeof uri === "string" ? uri.trim() : "";
      if (options?.context === "image") return INLINE_IMAGE.test(text) ? Promise.resolve({ href: text }) : refuse(text);
      return Promise.resolve(LINK.test(text) ? { href: text } : { href: null });
    },
    http: (uri) => refuse(uri),
    file: (path) => (readFile ? readFile(path) : refuse(path)),
  };
}
