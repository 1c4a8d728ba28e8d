// The fuzz test's cases and its one check (issue 14: parse, serialize and lint never throw anything but
// their typed errors). Case i of seed s is made from its own random stream, so any case can be made
// again alone: by the worker that runs them, and by the test to save a case that hung.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parseNotebook, serializeNotebook, type FormatError } from "../../../src/core/format";
import { lintNotebook } from "../../../src/core/lint";
import { createRng, type Rng } from "../../../src/core/stats";

/** What the check was doing, kept in shared memory so the test can name the stage of a case that hangs. */
export const STAGES = ["make", "parse", "serialize", "parse again", "lint"] as const;
export type Stage = (typeof STAGES)[number];

/** The notebooks mutated: every notebook of the examples and fixtures (the repros included) up to 64 KB. */
export function corpus(): Uint8Array[] {
  const notebooks = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.name !== "node_modules")
      .flatMap((entry) => (entry.isDirectory() ? notebooks(join(folder, entry.name)) : entry.name.endsWith(".falsify") ? [join(folder, entry.name)] : []));
  const files = ["examples", "test/fixtures"].flatMap(notebooks).sort();
  return files.map((file) => new Uint8Array(readFileSync(file))).filter((bytes) => bytes.length <= 64 * 1024);
}

export function caseRng(seed: number, index: number): Rng {
  return createRng(seed).fork(`case ${index}`);
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)];

/** Case `index`: a notebook of the corpus, mutated by 1 to 4 edits of its bytes or of its JSON tree. */
export function makeCase(files: readonly Uint8Array[], seed: number, index: number): Uint8Array | string {
  const rng = caseRng(seed, index);
  const original = pick(rng, files);
  // Edits of the tree mostly keep a notebook valid (so serialize and lint run); edits of bytes, on top
  // or alone, reach the reader's corners.
  const tree = rng.next() < 0.65;
  let bytes = tree ? treeMutation(original, rng) : original;
  for (let n = tree ? (rng.next() < 0.7 ? 0 : 1 + rng.int(2)) : 1 + rng.int(4); n > 0; n--) bytes = byteMutation(bytes, files, rng);
  // Text reaches parse too (the VS Code serializer hands it bytes, tests and other hosts text).
  return rng.next() < 0.1 ? Buffer.from(bytes).toString("utf8") : bytes;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Tokens that broke, or could break, a reader: the repros of issue 14 and their neighbours. */
const TOKENS: Uint8Array[] = [
  ...["[", "]", "{", "}", '"', "\\", ",", ":", " ", "\n", "\r", "\t", "null", "true", "false", "-", "0", "-0", "1e999", "1e-400", "9007199254740993", "5e-324"].map(utf8),
  ...['"__proto__"', '"constructor"', '"toString"', '"\\u0000"', '"\\ud800"', '"\\udc00x"', '"\\u2028"', "\u2028", "\u2029", "\u00a0", "\u3000", "\ufeff", "\u{1f600}"].map(utf8),
  ...["1".repeat(450), "[".repeat(300), "[".repeat(4000), '{"a":'.repeat(300), "]".repeat(300), '"'.repeat(7)].map(utf8),
  new Uint8Array([0xe9]),
  new Uint8Array([0xc0, 0x80]),
  new Uint8Array([0xed, 0xa0, 0x80]),
  new Uint8Array([0xf4, 0x90, 0x80, 0x80]),
  new Uint8Array([0xe2, 0x82]),
  new Uint8Array([0xff, 0xfe]),
];

function byteMutation(bytes: Uint8Array, files: readonly Uint8Array[], rng: Rng): Uint8Array {
  const at = rng.int(bytes.length + 1);
  const span = () => {
    const start = rng.int(bytes.length + 1);
    return [start, Math.min(bytes.length, start + 1 + rng.int(rng.next() < 0.8 ? 16 : 512))] as const;
  };
  const splice = (insert: Uint8Array, from = at, to = at) => Buffer.concat([bytes.subarray(0, from), insert, bytes.subarray(to)]);
  switch (rng.int(7)) {
    case 0: // one byte changed
      return at < bytes.length ? splice(new Uint8Array([rng.int(256)]), at, at + 1) : bytes;
    case 1: {
      const [from, to] = span();
      return splice(new Uint8Array(), from, to);
    }
    case 2: {
      const [from, to] = span();
      return splice(bytes.slice(from, to));
    }
    case 3: {
      const other = pick(rng, files);
      const start = rng.int(other.length + 1);
      return splice(other.subarray(start, start + 1 + rng.int(256)));
    }
    case 4:
      return bytes.subarray(0, at);
    default:
      return splice(pick(rng, TOKENS));
  }
}

/** Edits of the notebook's JSON tree that mostly keep it a valid notebook, so serialize and lint run too. */
function treeMutation(bytes: Uint8Array, rng: Rng): Uint8Array {
  let tree: unknown;
  try {
    tree = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return bytes;
  }
  for (let n = 1 + rng.int(3); n > 0; n--) tree = editTree(tree, rng);
  // Indented as the files are, unless deep: indentation grows with the square of the depth.
  const text = JSON.stringify(tree, null, rng.next() < 0.5 && depthOf(tree) < 64 ? 2 : undefined) ?? "";
  return utf8(text);
}

function depthOf(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  let deepest = 0;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child));
  return 1 + deepest;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function editTree(tree: unknown, rng: Rng): unknown {
  const cells = (tree as { cells?: unknown })?.cells;
  if (Array.isArray(cells) && cells.length && rng.next() < 0.6) {
    const cell = cells[rng.int(cells.length)] as Record<string, unknown>;
    if (!cell || typeof cell !== "object") return tree;
    switch (rng.int(8)) {
      case 0:
        cell.source = sourceLinesOf(randomSource(rng));
        break;
      case 1:
        cell.language = pick(rng, ["hypothesis", "typescript", "javascript", "markdown", "python", "", "yaml"]);
        break;
      case 2:
        cell.kind = pick(rng, ["code", "markdown"]);
        break;
      case 3:
        cell.outputs = [{ items: [{ mime: pick(rng, MIMES), data: randomValue(rng, 3) }] }];
        break;
      case 4: {
        const copy = structuredClone(cell);
        if (rng.next() < 0.8) copy.id = `${String(copy.id)}-copy${rng.int(1000)}`;
        cells.splice(rng.int(cells.length + 1), 0, copy);
        break;
      }
      case 5:
        cells.splice(rng.int(cells.length), 1);
        break;
      case 6:
        cell.execution = randomValue(rng, 2);
        break;
      default: {
        const lines = Array.isArray(cell.source) ? (cell.source as unknown[]) : [];
        if (lines.length) lines.splice(rng.int(lines.length), 0, randomSource(rng));
      }
    }
    return tree;
  }
  // Mostly where unknown values are allowed (metadata, output data), sometimes anywhere.
  const places = [tree, (tree as { metadata?: unknown })?.metadata, ...(Array.isArray(cells) ? cells.flatMap((cell) => [cell?.metadata, ...(Array.isArray(cell?.outputs) ? cell.outputs : [])]) : [])];
  const place = rng.next() < 0.2 ? tree : pick(rng, places);
  if (place === tree || place === null || typeof place !== "object") return replaceSomewhere(tree as Json, rng);
  replaceSomewhere(place as Json, rng);
  return tree;
}

/** Replaces one node, or adds one key, somewhere in the tree (depth chosen by a random walk). */
function replaceSomewhere(node: Json, rng: Rng): Json {
  if (node === null || typeof node !== "object" || rng.next() < 0.15) return randomValue(rng, 3);
  if (Array.isArray(node)) {
    if (!node.length) return [randomValue(rng, 2)];
    const i = rng.int(node.length);
    node[i] = replaceSomewhere(node[i], rng);
    return node;
  }
  const keys = Object.keys(node);
  if (!keys.length || rng.next() < 0.2) {
    Object.defineProperty(node, pick(rng, KEYS), { value: randomValue(rng, 2), enumerable: true, writable: true, configurable: true });
    return node;
  }
  const key = keys[rng.int(keys.length)];
  node[key] = replaceSomewhere(node[key], rng);
  return node;
}

const KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "id", "kind", "language", "source", "metadata", "outputs", "execution", "format", "version", "cells", "items", "mime", "data", "encoding", "usermeta", "seed", "", "é", "\u2028"];

const STRINGS = [
  "",
  "x",
  "c1\nconsole.log('INJECTED');//",
  "a\u2028b\u2029c\rd",
  "*/ require('child_process') /*",
  "${process.exit(1)}",
  "`",
  "</script><script>alert(1)</script>",
  "\ud800",
  "\udc00",
  "\u0000",
  "javascript:alert(1)",
  "file:///etc/passwd",
  "x/../../../../ESCAPED",
  "\u00a0\u3000",
  "9007199254740993",
];

function randomValue(rng: Rng, depth: number): Json {
  switch (rng.int(depth > 0 ? 9 : 6)) {
    case 0:
      return null;
    case 1:
      return rng.next() < 0.5;
    case 2:
      return pick(rng, [0, -0, 1, -1, 0.1, 1e308, 5e-324, 2 ** 53, 2 ** 32, -(2 ** 31), 1e21]);
    case 3:
    case 4:
      return pick(rng, STRINGS);
    case 5:
      return String.fromCharCode(...Array.from({ length: rng.int(40) }, () => rng.int(0x10000)));
    case 6: {
      // Nesting near the format's limit, on both sides of it.
      let value: Json = 1;
      for (let n = 200 + rng.int(120); n > 0; n--) value = [value];
      return value;
    }
    case 7:
      return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth - 1));
    default: {
      const object: { [key: string]: Json } = {};
      for (let n = rng.int(4); n > 0; n--) Object.defineProperty(object, pick(rng, KEYS), { value: randomValue(rng, depth - 1), enumerable: true, writable: true, configurable: true });
      return object;
    }
  }
}

const MIMES = ["application/vnd.falsify.verdict+json", "application/vnd.vegalite.v5+json", "application/vnd.falsify.chart+json", "image/png", "text/plain", "application/vnd.code.notebook.stdout", "application/json", "x"];

/** Cell text a user could type, half-typed, or a hostile notebook could hold. */
const SOURCES = [
  "id: H1\nclaim: &c \"x\"\nprediction: *c\nnull: *c\nmetric: *c\n",
  "id: H1\nclaim: [\n  - {\n",
  "a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: [*c, *c, *c, *c]\n",
  "<<: *nowhere\n",
  "id: !!js/function 'function () {}'\n",
  "id: H1\nclaim: x\nprediction: y\nnull: z\nmetric: m\ntest: {kind: permutation, alternative: greater}\n__proto__: {polluted: true}\n",
  "const x = {",
  "display(".repeat(200),
  "`${`${`${",
  'import * as tf from "@tensorflow/tfjs";\nconst y = tf.tensor([1]);\ndisplay(saliency(model, x));\n',
  "verdict(\"H1\", { effect: 0.3, p: 0.01 });\nfx.record(\"a\", 1);\n",
  "// @hypothesis H1\nMath.random();\n",
  "\u2028console.log('INJECTED')",
  "# Title\r\nprocess.exit(1)\n",
];

function randomSource(rng: Rng): string {
  const source = pick(rng, SOURCES);
  if (rng.next() < 0.5) return source;
  const cut = rng.int(source.length + 1);
  return source.slice(0, cut) + String.fromCharCode(rng.int(0x3000)) + source.slice(cut);
}

function sourceLinesOf(text: string): string[] {
  return text.split(/(?<=\n)/);
}

/** A failure of the contract, described; undefined when the case holds it. */
export interface Failure {
  stage: Stage;
  message: string;
}

export interface CaseOutcome {
  failure?: Failure;
  /** How far the case got: refused with this kind, or read ("ok") and then serialized and linted. */
  outcome: FormatError["kind"] | "ok";
}

const POSITIONED = new Set(["syntax", "encoding", "too-deep", "inexact-number"]);

/**
 * The contract: parse returns a notebook or a FormatError with a position (it never throws); a
 * notebook it returns serializes to text that parses back to the same notebook and serializes to the
 * same bytes (fixed point); lint reports on it without throwing and without internal errors.
 */
export function checkCase(input: Uint8Array | string, stage: (stage: Stage) => void): CaseOutcome {
  const fail = (at: Stage, message: string): CaseOutcome => ({ failure: { stage: at, message }, outcome: "ok" });
  const threw = (at: Stage, error: unknown) => fail(at, `threw ${(error as Error)?.stack ?? String(error)}`);

  stage("parse");
  let parsed: ReturnType<typeof parseNotebook>;
  try {
    parsed = parseNotebook(input);
    parseNotebook(input, { fixIds: true });
  } catch (error) {
    return threw("parse", error);
  }
  if (!parsed.ok) {
    const error = parsed.error;
    if (!error.message) return fail("parse", `a ${error.kind} error without a message`);
    const positions = error.kind === "schema" ? error.issues : error.kind === "future-version" ? [] : [error];
    if (error.kind === "schema" && !error.issues.length) return fail("parse", "a schema error without an issue");
    if (!POSITIONED.has(error.kind) && error.kind !== "schema" && error.kind !== "future-version") return fail("parse", `unknown error kind ${String(error.kind)}`);
    for (const { line, column } of positions) {
      if (!(Number.isInteger(line) && line >= 1 && Number.isInteger(column) && column >= 1)) return fail("parse", `a ${error.kind} error at line ${line}, column ${column}`);
    }
    return { outcome: error.kind };
  }

  stage("serialize");
  let text: string;
  try {
    text = serializeNotebook(parsed.notebook);
  } catch (error) {
    return threw("serialize", error);
  }

  stage("parse again");
  let again: ReturnType<typeof parseNotebook>;
  try {
    again = parseNotebook(utf8(text));
  } catch (error) {
    return threw("parse again", error);
  }
  if (!again.ok) return fail("parse again", `the serialized notebook is refused: ${again.error.kind}: ${again.error.message}`);
  if (!isDeepStrictEqual(asJson(again.notebook), asJson(parsed.notebook))) return fail("parse again", "the serialized notebook reads back as another notebook");
  if (serializeNotebook(again.notebook) !== text) return fail("parse again", "serialize is not a fixed point");

  stage("lint");
  try {
    const report = lintNotebook(parsed.notebook);
    if (report.internalErrors.length) return fail("lint", `internal errors: ${report.internalErrors.join("\n")}`);
  } catch (error) {
    return threw("lint", error);
  }
  return { outcome: "ok" };
}

/**
 * A value as the JSON it is written as: numbers by value, as the canonical form writes them (`1.50`
 * is written 1.5, and -0 as 0), key order aside (isDeepStrictEqual ignores it).
 */
function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}
