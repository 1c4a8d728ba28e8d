import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { generatedSchemas } from "../../src/core/schemas";

test("schemas/*.json are up to date with the zod schemas (run `npm run schemas`)", () => {
  for (const [file, text] of Object.entries(generatedSchemas())) {
    assert.equal(readFileSync(`schemas/${file}`, "utf8"), text, `schemas/${file} is stale: run npm run schemas`);
  }
});
