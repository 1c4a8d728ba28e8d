// Reading a hypothesis cell: YAML text -> a typed `Hypothesis`, or errors that say where in the cell
// (line/column) and what to do. Never throws: a half-typed cell is the normal case while editing.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document, type Node } from "yaml";
import type { z } from "zod";
import { LineIndex, type CellRange } from "./range";
import { Hypothesis } from "./schema";

export interface HypothesisError {
  kind: "yaml" | "schema";
  message: string;
  /** Path of the offending field, e.g. ["test", "alpha"]; empty for YAML syntax errors. */
  path: (string | number)[];
  range: CellRange;
}

export interface ParsedHypothesis {
  /** The validated hypothesis, when the cell is valid. */
  hypothesis?: Hypothesis;
  /** The YAML as plain data, even when it does not validate (the linter still reads `id` from it). */
  raw: unknown;
  errors: HypothesisError[];
  /** Range of the field at `path` (key through value), or of its closest existing ancestor. */
  locate(path: ReadonlyArray<string | number>): CellRange;
}

export function parseHypothesis(text: string): ParsedHypothesis {
  const lines = new LineIndex(text);
  const whole = () => lines.range(0, text.length);
  let document: Document.Parsed;
  try {
    document = parseDocument(text, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    const range = lines.lineRange(1);
    return { raw: undefined, errors: [{ kind: "yaml", message: `Unreadable YAML: ${(error as Error).message}`, path: [], range }], locate: whole };
  }
  const locate = (path: ReadonlyArray<string | number>) => locateIn(document, path, lines) ?? whole();

  const yamlErrors = document.errors.map(
    (error): HypothesisError => ({ kind: "yaml", message: error.message.split("\n")[0], path: [], range: lines.range(error.pos[0], error.pos[1]) }),
  );
  // yaml recurses once per level of nesting and reports each stack overflow it catches: thousands of
  // brackets gave hundreds of "Maximum call stack size exceeded". One error says what it is.
  const overflow = yamlErrors.find((error) => /call stack/i.test(error.message));
  if (overflow) {
    const error: HypothesisError = { ...overflow, message: "The YAML is nested too deeply to be read: a hypothesis needs a few levels at most." };
    return { raw: undefined, errors: [error], locate: whole };
  }
  let raw: unknown;
  const alias = firstAlias(document);
  try {
    // yaml's own alias limit first (its default maxAliasCount), so aliases of aliases cannot expand
    // exponentially in toPlain ("billion laughs"). As Maps, a collection used as a key does not make
    // yaml warn on the console (the value is only checked here; toPlain builds it).
    if (alias) document.toJS({ maxAliasCount: 100, mapAsMap: true });
    raw = toPlain(document.contents, document);
  } catch (error) {
    const range = alias?.range ? lines.range(alias.range[0], alias.range[1]) : lines.lineRange(1);
    yamlErrors.push({ kind: "yaml", message: `Unreadable YAML: ${(error as Error).message}`, path: [], range });
  }
  if (yamlErrors.length) return { raw, errors: yamlErrors, locate };
  if (raw === null || raw === undefined) {
    const message = "Empty hypothesis: write at least `id:` and `claim:` (then prediction, null, baselines, metric and test).";
    return { raw, errors: [{ kind: "schema", message, path: [], range: lines.lineRange(1) }], locate };
  }
  const result = Hypothesis.safeParse(raw);
  if (result.success) return { hypothesis: result.data, raw, errors: [], locate };
  return { raw, errors: result.error.issues.flatMap((issue) => schemaErrors(issue, raw, locate)), locate };
}

/** The `id:` of a hypothesis cell even when the rest does not validate, so links still resolve. */
export function rawHypothesisId(parsed: ParsedHypothesis): string | undefined {
  const id = (parsed.raw as { id?: unknown } | null | undefined)?.id;
  return typeof id === "string" && id.trim() ? id.trim() : typeof id === "number" ? String(id) : undefined;
}

function schemaErrors(issue: z.core.$ZodIssue, raw: unknown, locate: ParsedHypothesis["locate"]): HypothesisError[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => {
      const known = knownFields(path);
      const guess = closest(key, known);
      const hint = guess ? ` Did you mean \`${guess}\`?` : ` Known fields: ${known.join(", ")}.`;
      return { kind: "schema", message: `Unknown field \`${key}\`.${hint}`, path: [...path, key], range: locate([...path, key]) };
    });
  }
  const field = path.length ? `\`${path.join(".")}\`` : "The hypothesis";
  const missing = issue.code === "invalid_type" && valueAt(raw, path) === undefined;
  const message = missing ? `${field} is required.` : `${field}: ${issue.message}.`;
  return [{ kind: "schema", message, path, range: locate(path) }];
}

function knownFields(path: (string | number)[]): string[] {
  const named = path.filter((p): p is string => typeof p === "string");
  const parent = named[named.length - 1];
  const shape: Record<string, unknown> =
    parent === "test"
      ? Hypothesis.shape.test.unwrap().shape
      : parent === "baselines"
        ? Hypothesis.shape.baselines.unwrap().element.shape
        : parent === "alternatives"
          ? Hypothesis.shape.alternatives.unwrap().element.shape
          : Hypothesis.shape;
  return Object.keys(shape);
}

/** The known name within edit distance 2 of a typo, if any. */
function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}

function valueAt(raw: unknown, path: (string | number)[]): unknown {
  let current = raw;
  for (const key of path) current = current && typeof current === "object" ? (current as Record<string | number, unknown>)[key] : undefined;
  return current;
}

/**
 * YAML nodes -> plain data. Map keys are taken as written: YAML reads the key `null` (a field name
 * here) as the null value, which a plain `toJS()` would turn into "".
 */
/**
 * The YAML as plain data, keys as written (`null:` is the key "null", not ""). An alias (`*c`)
 * stands for its anchor's value (`&c`). Objects are built with fromEntries: a `__proto__` key is a
 * key like any other, not a prototype.
 */
function toPlain(node: unknown, document: Document.Parsed): unknown {
  if (isAlias(node)) return toPlain(node.resolve(document), document);
  if (isMap(node)) return Object.fromEntries(node.items.map((pair) => [keyText(pair.key), toPlain(pair.value, document)]));
  if (isSeq(node)) return node.items.map((item) => toPlain(item, document));
  if (isScalar(node)) return node.value;
  return node === null || node === undefined ? node : (node as Node).toJSON();
}

function firstAlias(document: Document.Parsed): Alias | undefined {
  let found: Alias | undefined;
  visit(document, {
    Alias(_key, node) {
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

function keyText(key: unknown): string {
  if (isScalar(key)) return typeof key.source === "string" && key.value === null ? key.source : String(key.value);
  return String(key);
}

function locateIn(document: Document.Parsed, path: ReadonlyArray<string | number>, lines: LineIndex): CellRange | undefined {
  let node: unknown = document.contents;
  let range: [number, number] | undefined = rangeOf(node);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(segment));
      if (!pair) break;
      const keyRange = rangeOf(pair.key);
      const valueRange = rangeOf(pair.value);
      range = keyRange ? [keyRange[0], valueRange?.[1] ?? keyRange[1]] : valueRange;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number" && node.items[segment] !== undefined) {
      node = node.items[segment];
      range = rangeOf(node) ?? range;
    } else break;
  }
  return range ? lines.range(range[0], range[1]) : undefined;
}

function rangeOf(node: unknown): [number, number] | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? [range[0], range[1]] : undefined;
}
