// The `.falsify` file format: this zod schema is the single source of truth. The JSON Schema in
// `schemas/falsify-notebook.schema.json` is generated from it (`npm run schemas`) and a unit test
// fails when the checked-in copy is stale.
//
// Every object is "loose": fields this version does not know are kept, so a notebook written by a
// newer tool or edited by hand survives a load/save round trip.
import { z } from "zod";
import { CELL_ID_PATTERN } from "./cell-id";

/** The only format version this build reads and writes. Newer files are refused by name. */
export const FORMAT_VERSION = 1;

/** Cell languages with a meaning to Falsify; other languages are carried through untouched. */
export const CELL_LANGUAGES = {
  code: "typescript",
  hypothesis: "hypothesis",
  markdown: "markdown",
} as const;

/** Free-form metadata: any JSON object. */
export const Metadata = z.record(z.string(), z.unknown()).describe("Free-form JSON metadata.");
export type Metadata = z.infer<typeof Metadata>;

/**
 * One MIME-typed item of an output. `data` is a JSON value for JSON MIME types (`*json`), a string
 * for text, and base64 text (with `encoding: "base64"`) for anything binary such as `image/png`.
 */
export const OutputItem = z.looseObject({
  mime: z.string().min(1).describe("MIME type, e.g. text/plain or application/vnd.vegalite.v5+json."),
  data: z.unknown().describe("JSON value for JSON MIME types, text otherwise, base64 when encoding is set."),
  encoding: z.literal("base64").optional().describe("Set when data is base64 of binary bytes."),
});
export type OutputItem = z.infer<typeof OutputItem>;

export const Output = z.looseObject({
  items: z.array(OutputItem).describe("Alternative renderings of one output, best first."),
  metadata: Metadata.optional(),
});
export type Output = z.infer<typeof Output>;

/** What the kernel recorded about the run that produced a cell's outputs (see the kernel issue). */
export const Execution = z
  .looseObject({
    order: z.number().int().nonnegative().optional().describe("Execution counter within the kernel session."),
    success: z.boolean().optional(),
    startTime: z.number().optional().describe("Milliseconds since the Unix epoch."),
    durationMs: z.number().nonnegative().optional(),
    backend: z.string().optional().describe("TensorFlow.js backend: tensorflow, wasm or cpu."),
    tfjsVersion: z.string().optional(),
    falsifyVersion: z.string().optional().describe("The falsify (extension or CLI) that ran the cell."),
    nodeVersion: z.string().optional(),
    sourceHash: z.string().optional().describe("Hash of the cell source that produced the outputs."),
    outputsHash: z.string().optional().describe("Hash of the outputs the run produced (console chunks merged); export refuses outputs that no longer match it."),
  })
  .describe("Provenance of the cell's outputs.");
export type Execution = z.infer<typeof Execution>;

export const CellKind = z.enum(["markdown", "code"]);
export type CellKind = z.infer<typeof CellKind>;

/**
 * Source is stored as a list of lines (each but the last ending in "\n"), as in .ipynb, so a diff
 * of an edited cell shows the changed lines only. A single string is accepted when reading.
 */
export const Source = z.union([z.string(), z.array(z.string())]).describe("Cell text, as lines.");

export const Cell = z.looseObject({
  id: z
    .string()
    .regex(CELL_ID_PATTERN, "a cell id is 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or a digit (`falsify fmt --fix-ids` renames the others)")
    .describe("Stable cell id, kept across saves; lint, export and preregistration refer to it. 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or a digit."),
  kind: CellKind,
  language: z.string().min(1).describe("typescript, hypothesis (YAML body) or markdown."),
  source: Source,
  metadata: Metadata.default({}),
  outputs: z.array(Output).default([]),
  execution: Execution.optional(),
});
/** A cell in memory: as in the file, but with its source joined into one string. */
export type Cell = Unknown & {
  id: string;
  kind: CellKind;
  language: string;
  source: string;
  metadata: Metadata;
  outputs: Output[];
  execution?: Execution;
};

/** Fields this version does not know, kept for the round trip. */
type Unknown = { [field: string]: unknown };

export const Notebook = z.looseObject({
  format: z.literal("falsify").describe("Marks the file as a Falsify notebook."),
  version: z.literal(FORMAT_VERSION).describe("Format version."),
  metadata: Metadata.default({}).describe("Notebook metadata, e.g. seed, preregistration log, lint settings."),
  cells: z.array(Cell),
}).superRefine((notebook, ctx) => {
  // Lint findings, exports and the preregistration log name cells by id, so ids must be unique.
  const firstIndex = new Map<string, number>();
  notebook.cells.forEach((cell, index) => {
    const first = firstIndex.get(cell.id);
    if (first === undefined) firstIndex.set(cell.id, index);
    else ctx.addIssue({ code: "custom", path: ["cells", index, "id"], message: `duplicate cell id "${cell.id}" (cell ${first} has it too)` });
  });
});
export type Notebook = Unknown & { format: "falsify"; version: typeof FORMAT_VERSION; metadata: Metadata; cells: Cell[] };

/** The JSON Schema published in `schemas/` and contributed through `jsonValidation`. */
export function notebookJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Notebook, { io: "input", unrepresentable: "any" });
  return {
    ...schema,
    $id: "https://falsify.dev/schemas/falsify-notebook.schema.json",
    title: "Falsify notebook",
  };
}
