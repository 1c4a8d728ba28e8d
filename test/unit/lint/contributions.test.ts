// The linter's package.json contributions agree with the code: every rule is configurable by its
// id, and the grammar and panel the manifest names exist.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { RULES } from "../../../src/core/lint";

const manifest = JSON.parse(readFileSync("package.json", "utf8"));

test("falsify.lint.rules offers exactly the linter's rule ids, each with the four severities", () => {
  const rules = manifest.contributes.configuration.properties["falsify.lint.rules"];
  assert.deepEqual(Object.keys(rules.properties).sort(), RULES.map((r) => r.id).sort());
  for (const property of Object.values(rules.properties) as { enum: string[] }[]) assert.deepEqual(property.enum, ["error", "warning", "info", "off"]);
});

test("the hypothesis grammar, the panel and the linter's commands are contributed", () => {
  const grammar = manifest.contributes.grammars.find((g: { language: string }) => g.language === "hypothesis");
  assert.ok(grammar && existsSync(grammar.path), "hypothesis grammar missing");
  assert.equal(JSON.parse(readFileSync(grammar.path, "utf8")).scopeName, grammar.scopeName);
  assert.ok(manifest.contributes.views.explorer.some((v: { id: string }) => v.id === "falsify.falsifiability"));
  const commands = manifest.contributes.commands.map((c: { command: string }) => c.command);
  for (const id of ["falsify.insertHypothesis", "falsify.linkCellToHypothesis", "falsify.recordAmendment", "falsify.revealCell", "falsify.showStrength", "falsify.applyFix"]) {
    assert.ok(commands.includes(id), `${id} not contributed`);
  }
});

test("hypothesis cells wrap their long lines (claims and predictions are sentences)", () => {
  assert.equal(manifest.contributes.configurationDefaults?.["[hypothesis]"]?.["editor.wordWrap"], "on");
});
