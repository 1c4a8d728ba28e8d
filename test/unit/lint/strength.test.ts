import assert from "node:assert/strict";
import { test } from "node:test";
import { parseHypothesis } from "../../../src/core/hypothesis";
import { gradeHypothesis } from "../../../src/core/lint";

const grade = (yaml: string) => gradeHypothesis(parseHypothesis(yaml).hypothesis);

const AVERAGE = `id: H1
claim: Selective units are necessary.
prediction: Ablating them lowers accuracy more than random units.
null: The same drop either way.
intervention: ablation
baselines:
  - name: random-units
metric: drop in accuracy
`;

test("very weak: no prediction or no null (or an unreadable cell)", () => {
  assert.equal(grade("id: H1\nclaim: x\n").strength, "very weak");
  assert.deepEqual(grade("id: H1\nclaim: x\nprediction: y\n").raise, ["add a `null`: what you will observe if it does not"]);
  assert.equal(gradeHypothesis(undefined).strength, "very weak");
});

test("weak: existence-only, no baseline, or no intervention, each with what would raise it", () => {
  const noBaseline = grade(AVERAGE.replace("baselines:\n  - name: random-units\n", ""));
  assert.equal(noBaseline.strength, "weak");
  assert.match(noBaseline.raise.join(), /declare a baseline/);
  const correlational = grade(AVERAGE.replace("intervention: ablation", "intervention: none"));
  assert.equal(correlational.strength, "weak");
  assert.match(correlational.raise.join(), /intervention/);
  const existence = grade(
    AVERAGE.replace("prediction: Ablating them lowers accuracy more than random units.", "prediction: We should find units that matter.").replace("random-units", "edge-detector"),
  );
  assert.equal(existence.strength, "weak");
  assert.match(existence.raise.join(), /chance-level baseline/);
});

test("average: causal intervention, metric, null and baseline; raised by competing explanations", () => {
  const g = grade(AVERAGE);
  assert.equal(g.strength, "average");
  assert.match(g.raise[0], /alternatives/);
});

test("strong: alternatives with their own predictions and a second baseline that separates them", () => {
  const withAlternative = `${AVERAGE}alternatives:\n  - claim: A distributed direction carries it.\n    prediction: Ablating a random rotation of the units hurts as much.\n`;
  assert.equal(grade(withAlternative).strength, "average");
  const strong = withAlternative.replace("  - name: random-units\n", "  - name: random-units\n  - name: random-directions\n");
  assert.deepEqual(grade(strong), { strength: "strong", raise: [] });
});
