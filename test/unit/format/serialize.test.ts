import assert from "node:assert/strict";
import { test } from "node:test";
import { notebookTemplate, parseNotebook, serializeNotebook, sourceLines, type Notebook } from "../../../src/core/format";

test("sources are stored as lines that join back to the same text", () => {
  for (const text of ["", "a", "a\n", "a\nb", "a\n\nb\n", "\n", "x\r\ny"]) {
    assert.equal(sourceLines(text).join(""), text, JSON.stringify(text));
  }
  assert.deepEqual(sourceLines("a\nb"), ["a\n", "b"]);
  assert.deepEqual(sourceLines(""), []);
});

test("output is two-space JSON with a trailing newline and a stable key order", () => {
  const notebook: Notebook = {
    cells: [{ outputs: [], metadata: { z: 1, a: 2 }, source: "1", language: "typescript", kind: "code", id: "c" }],
    metadata: { b: 1, a: { d: 1, c: 2 } },
    version: 1,
    format: "falsify",
    extra: 1,
  };
  const text = serializeNotebook(notebook);
  assert.ok(text.endsWith("}\n"));
  assert.deepEqual(Object.keys(JSON.parse(text)), ["format", "version", "metadata", "cells", "extra"]);
  assert.deepEqual(Object.keys(JSON.parse(text).cells[0]), ["id", "kind", "language", "source", "metadata", "outputs"]);
  assert.deepEqual(Object.keys(JSON.parse(text).metadata.a), ["c", "d"]);
  assert.match(text, /^\{\n {2}"format": "falsify",\n/);
});

test("serializing is deterministic whatever the insertion order of keys", () => {
  const a = parseNotebook('{"format":"falsify","version":1,"metadata":{"x":1,"y":{"q":1,"p":2}},"cells":[]}');
  const b = parseNotebook('{"cells":[],"metadata":{"y":{"p":2,"q":1},"x":1},"version":1,"format":"falsify"}');
  assert.ok(a.ok && b.ok);
  assert.equal(serializeNotebook(a.notebook), serializeNotebook(b.notebook));
});

test("the new-notebook template has a hypothesis, a code and a markdown cell with unique ids", () => {
  const notebook = notebookTemplate();
  assert.deepEqual(
    notebook.cells.map((c) => c.language),
    ["hypothesis", "typescript", "markdown"],
  );
  assert.equal(new Set(notebook.cells.map((c) => c.id)).size, 3);
  const reparsed = parseNotebook(serializeNotebook(notebook));
  assert.ok(reparsed.ok);
  assert.deepEqual(reparsed.notebook, notebook);
});
