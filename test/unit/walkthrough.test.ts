// The walkthrough says what ships: it said "Four studies" and "Four worked examples" when there were nine.
// Its page of examples is made from examples/ (`npm run docs`), and its other texts state no count
// that could go stale.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { examplesPage, WALKTHROUGH_EXAMPLES, workedExamples } from "../../src/scripts/walkthrough-examples";

test("the walkthrough's page lists every worked example (run `npm run docs` after adding one)", () => {
  const files = readdirSync("examples").filter((file) => file.endsWith(".falsify"));
  assert.deepEqual(workedExamples().map((e) => e.file), files.sort());
  const page = readFileSync(WALKTHROUGH_EXAMPLES, "utf8");
  assert.equal(page, examplesPage(), "media/walkthrough/examples.md is stale: run `npm run docs` and commit it");
  assert.match(page, new RegExp(`^# The ${files.length} worked examples`));
  for (const file of files) assert.ok(page.includes(`(\`${file}\`)`), file);
});

test("no other walkthrough text counts the examples or studies", () => {
  const manifest = JSON.parse(readFileSync("package.json", "utf8"));
  const steps: { description: string }[] = manifest.contributes.walkthroughs.flatMap((w: { steps: { description: string }[] }) => w.steps);
  const pages = readdirSync("media/walkthrough").filter((file) => file !== "examples.md").map((file) => readFileSync(`media/walkthrough/${file}`, "utf8"));
  const counted = /\b(two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(worked\s+)?(studies|examples|notebooks)\b/i;
  for (const text of [...steps.map((s) => s.description), ...pages]) assert.doesNotMatch(text, counted);
});
