// Inline CSV/TSV data (`data: {values: "a,b\n1,2", format: {type: "csv"}}`) in the notebook webview.
// vega reads it with d3-dsv's `parse`, which builds each row's object with `new Function`; the
// webview's CSP forbids that, so such a chart would fail. These readers take d3-dsv's rows (no
// code generation) and build the objects as data. Registered over vega's own, in this bundle only.
import { dsvFormat } from "d3-dsv";
import * as vega from "vega";

interface DsvFormat {
  delimiter?: string;
  /** Field names when the text has no header row (vega-loader's `header`). */
  header?: string[];
}

type Reader = ((data: unknown, format?: DsvFormat) => Record<string, string>[]) & { responseType: string };

/** Rows of delimited text as objects keyed by the header, as vega's own reader returns them. */
export function delimitedRows(text: string, delimiter: string, header?: readonly string[]): Record<string, string>[] {
  const rows = dsvFormat(delimiter).parseRows(text);
  const columns = header ?? rows.shift() ?? [];
  // fromEntries defines keys as data, so a "__proto__" column is an ordinary field.
  return rows.map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i] ?? ""])));
}

function reader(delimiter?: string): Reader {
  const read = (data: unknown, format: DsvFormat = {}) => delimitedRows(String(data), delimiter ?? format.delimiter ?? ",", format.header);
  return Object.assign(read, { responseType: "text" });
}

/** vega-loader's format registry (exported by vega at run time, absent from its typings). */
const formats = (vega as unknown as { formats(name: string, reader: Reader): void }).formats;

export function registerDelimitedReaders(): void {
  formats("csv", reader(","));
  formats("tsv", reader("\t"));
  formats("dsv", reader());
}
