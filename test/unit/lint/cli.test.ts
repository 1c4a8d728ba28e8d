// `falsify lint`: the three output formats and the exit codes CI relies on.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runCli } from "../../../src/cli/main";

const FIX = "test/fixtures/lint";
const BASELINE = `${FIX}/visual-without-baseline.falsify`; // 6 warnings, no errors
const INVALID = `${FIX}/invalid-hypothesis.falsify`; // 3 errors

async function cli(...argv: string[]) {
  const run = { code: -1, out: [] as string[], err: [] as string[] };
  run.code = await runCli(["lint", ...argv], { out: (l) => run.out.push(l), err: (l) => run.err.push(l) });
  return run;
}

const scratch = mkdtempSync(join(tmpdir(), "falsify-lint-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

test("json: the documented shape, positions 1-based within the cell, cellIndex 0-based", async () => {
  const run = await cli(BASELINE, "--format", "json");
  assert.equal(run.code, 0);
  const json = JSON.parse(run.out.join("\n"));
  assert.deepEqual(Object.keys(json), ["files"]);
  assert.equal(json.files[0].file, BASELINE);
  assert.equal(json.files[0].diagnostics.length, 6);
  assert.deepEqual(json.files[0].diagnostics[0], {
    rule: "visual-without-baseline",
    severity: "warning",
    message: json.files[0].diagnostics[0].message,
    cellId: "h1-visual",
    cellIndex: 4,
    line: 2,
    column: 9,
  });
  assert.match(json.files[0].diagnostics[0].message, /H1 declares no baseline/);
});

test("text: file:line:col in the .falsify file, with the cell position, and a summary", async () => {
  const run = await cli(BASELINE);
  assert.equal(run.code, 0);
  // Line 91 of the fixture holds the string "display(attributionHeatmap(...", opening quote at column 9.
  assert.match(run.out[0], /^test\/fixtures\/lint\/visual-without-baseline\.falsify:91:18: warning: H1 declares no baseline.* \[visual-without-baseline\] \(cell 5, 2:9\)$/);
  assert.equal(run.out.at(-1), "6 problems (0 errors, 6 warnings)");
});

test("sarif: 2.1.0 with the rule table, levels and both file and cell locations", async () => {
  const run = await cli(INVALID, "--format=sarif");
  assert.equal(run.code, 1);
  const sarif = JSON.parse(run.out.join("\n"));
  assert.equal(sarif.version, "2.1.0");
  const [runObject] = sarif.runs;
  const rules = runObject.tool.driver.rules.map((r: { id: string }) => r.id);
  assert.ok(rules.includes("visual-without-hypothesis"));
  assert.equal(runObject.tool.driver.rules[0].name, "VisualWithoutHypothesis");
  assert.equal(runObject.tool.driver.rules[0].shortDescription.text, "Visualisation without a hypothesis");
  assert.equal(runObject.results.length, 3);
  const first = runObject.results[0];
  assert.equal(first.ruleId, "invalid-hypothesis");
  assert.equal(rules[first.ruleIndex], "invalid-hypothesis");
  assert.equal(first.level, "error");
  assert.equal(first.locations[0].physicalLocation.artifactLocation.uri, INVALID);
  assert.ok(first.locations[0].physicalLocation.region.startLine > 1);
  assert.equal(first.locations[0].logicalLocations[0].name, "syntax");
  assert.deepEqual(first.properties, { cellId: "syntax", cellIndex: 0, cellLine: 3, cellColumn: 1 });
});

test("exit codes: 1 on errors, 1 when warnings exceed --max-warnings, 0 at the limit, 2 on usage errors", async () => {
  assert.equal((await cli(INVALID, "--format", "json")).code, 1);
  assert.equal((await cli(BASELINE, "--max-warnings", "6")).code, 0);
  const over = await cli(BASELINE, "--max-warnings", "5");
  assert.equal(over.code, 1);
  assert.match(over.err.join("\n"), /6 warnings, more than --max-warnings 5/);
  assert.equal((await cli()).code, 2);
  assert.equal((await cli(BASELINE, "--format", "xml")).code, 2);
  assert.equal((await cli(BASELINE, "--max-warnings", "-1")).code, 2);
  assert.equal((await cli(BASELINE, "--fix")).code, 2);
});

test("an unreadable or malformed file is an error, reported in every format, and the others are still linted", async () => {
  const broken = join(scratch, "broken.falsify");
  writeFileSync(broken, "{ not json");
  const run = await cli(broken, BASELINE, join(scratch, "missing.falsify"), "--format", "json");
  assert.equal(run.code, 1);
  const json = JSON.parse(run.out.join("\n"));
  assert.match(json.files[0].error, /broken\.falsify:1:3: Malformed JSON/);
  assert.equal(json.files[1].diagnostics.length, 6);
  assert.match(json.files[2].error, /cannot read/);
  assert.equal(run.err.length, 2);
});

test("a clean notebook: no output in text, exit 0", async () => {
  const clean = join(scratch, "clean.falsify");
  writeFileSync(clean, JSON.stringify({ format: "falsify", version: 1, metadata: {}, cells: [{ id: "a", kind: "code", language: "typescript", source: "1 + 1\n" }] }));
  assert.deepEqual(await cli(clean), { code: 0, out: [], err: [] });
});
