import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { sourceHash } from "../../../src/core/hash";

test("sourceHash is the first 16 hex digits of sha256 over UTF-8", () => {
  // Independent reference: sha256("") is a published constant.
  assert.equal(sourceHash(""), "e3b0c44298fc1c14");
  const text = "const x = 1; // é 日本";
  assert.equal(sourceHash(text), createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex").slice(0, 16));
});

test("sourceHash tells a one-character edit apart", () => {
  assert.notEqual(sourceHash("x + 1"), sourceHash("x + 2"));
  assert.notEqual(sourceHash("x\n"), sourceHash("x"));
});
