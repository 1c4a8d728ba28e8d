import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseNotebook, serializeNotebook, type ParseResult } from "../../../src/core/format";

const fixture = (name: string) => readFileSync(`test/fixtures/format/${name}`, "utf8");

function errorOf(result: ParseResult) {
  assert.equal(result.ok, false, "expected a parse error");
  return (result as Extract<ParseResult, { ok: false }>).error;
}

test("a valid file parses into cells with joined sources", () => {
  const result = parseNotebook(fixture("valid.falsify"));
  assert.ok(result.ok);
  const { notebook } = result;
  assert.deepEqual(
    notebook.cells.map((c) => [c.id, c.kind, c.language]),
    [
      ["hyp1", "code", "hypothesis"],
      ["code1", "code", "typescript"],
      ["md1", "markdown", "markdown"],
    ],
  );
  assert.equal(notebook.cells[1].source, "// @hypothesis H1\nconst x = 1 + 1;");
  assert.equal(notebook.metadata.seed, 7);
});

test("the canonical file is a fixed point: parse then serialize gives the same bytes", () => {
  const text = fixture("valid.falsify");
  const result = parseNotebook(text);
  assert.ok(result.ok);
  assert.equal(serializeNotebook(result.notebook), text);
});

test("unknown fields at top level, in cells and in metadata survive a round trip", () => {
  const text = fixture("unknown-fields.falsify");
  const result = parseNotebook(text);
  assert.ok(result.ok);
  const out = serializeNotebook(result.notebook);
  const back = JSON.parse(out);
  assert.deepEqual(back.futureTopLevel, { kept: true });
  assert.equal(back.cells[0].reviewer, "ana");
  assert.deepEqual(back.metadata.zzz, { a: 1, b: 2 });
  assert.deepEqual(back.cells[0].metadata.tags, ["x"]);
  assert.equal(out, text, "the fixture is already canonical, so bytes are identical");
});

test("malformed JSON is a syntax error with the line and column of the problem", () => {
  const error = errorOf(parseNotebook(fixture("malformed.falsify")));
  assert.equal(error.kind, "syntax");
  assert.ok(error.kind === "syntax");
  // Line 11 is `"metadata": {},` after a missing comma on line 10.
  assert.equal(error.line, 11);
  assert.equal(error.column, 7);
  assert.match(error.message, /Expected ',' or '}'/);
});

test("syntax errors point at the offending character in simple documents", () => {
  const cases: [string, number, number][] = [
    ['{"a": 1,}', 1, 9],
    ['{\n  "a": tru\n}', 2, 8],
    ['{"a": "x\ny"}', 1, 9],
    ["[1, 2", 1, 6],
  ];
  for (const [text, line, column] of cases) {
    const error = errorOf(parseNotebook(text));
    assert.equal(error.kind, "syntax", text);
    assert.ok(error.kind === "syntax");
    assert.deepEqual([error.line, error.column], [line, column], text);
  }
});

test("a schema violation names the field and where it is", () => {
  const error = errorOf(parseNotebook(fixture("bad-kind.falsify")));
  assert.equal(error.kind, "schema");
  assert.ok(error.kind === "schema");
  assert.equal(error.issues[0].message.startsWith("cells[0].kind:"), true, error.issues[0].message);
  assert.equal(error.issues[0].line, 8);
  assert.match(error.message, /Not a valid Falsify notebook/);
});

test("a future version is refused by name, not guessed at", () => {
  const error = errorOf(parseNotebook(fixture("future-version.falsify")));
  assert.equal(error.kind, "future-version");
  assert.match(error.message, /version 2/);
  assert.match(error.message, /Update Falsify/);
});

test("a file that is not a Falsify notebook is a schema error", () => {
  const error = errorOf(parseNotebook('{"cells": []}'));
  assert.equal(error.kind, "schema");
  assert.match(error.message, /format/);
});

test("duplicate cell ids are refused", () => {
  const cell = { id: "same", kind: "code", language: "typescript", source: "", metadata: {}, outputs: [] };
  const error = errorOf(parseNotebook(JSON.stringify({ format: "falsify", version: 1, metadata: {}, cells: [cell, cell] })));
  assert.equal(error.kind, "schema");
  assert.match(error.message, /duplicate cell id "same"/);
});

test("an empty or blank file opens as an empty notebook", () => {
  for (const text of ["", "  \n", "\ufeff"]) {
    const result = parseNotebook(text);
    assert.ok(result.ok, JSON.stringify(text));
    assert.deepEqual(result.notebook.cells, []);
    assert.equal(result.notebook.version, 1);
  }
});

test("missing metadata and outputs default to empty", () => {
  const result = parseNotebook(
    JSON.stringify({ format: "falsify", version: 1, cells: [{ id: "a", kind: "markdown", language: "markdown", source: "x" }] }),
  );
  assert.ok(result.ok);
  assert.deepEqual(result.notebook.metadata, {});
  assert.deepEqual(result.notebook.cells[0].outputs, []);
});
