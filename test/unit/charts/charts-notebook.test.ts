// The e2e notebook is generated from the builders; this keeps the committed copy current.
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { parseNotebook } from "../../../src/core/format";
import { CHARTS_NOTEBOOK, chartsNotebook } from "./charts-notebook";

test("the charts e2e notebook is current and valid", () => {
  const text = chartsNotebook();
  if (process.env.UPDATE_GOLDEN) writeFileSync(CHARTS_NOTEBOOK, text);
  assert.ok(existsSync(CHARTS_NOTEBOOK), `${CHARTS_NOTEBOOK} is missing: run with UPDATE_GOLDEN=1`);
  assert.equal(readFileSync(CHARTS_NOTEBOOK, "utf8"), text, `${CHARTS_NOTEBOOK} is stale: rerun with UPDATE_GOLDEN=1`);
  assert.equal(parseNotebook(text).ok, true);
});
