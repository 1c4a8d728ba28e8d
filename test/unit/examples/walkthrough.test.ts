// The "Get started with Falsify" walkthrough (package.json contributes.walkthroughs): every step's
// media page exists and ships, every command link names a contributed command, and the examples the
// buttons open exist (and ship in the .vsix, which the walkthrough copies them from).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";

interface Step {
  id: string;
  description: string;
  media: { markdown?: string };
  completionEvents?: string[];
}
const manifest = JSON.parse(readFileSync("package.json", "utf8")) as {
  contributes: { commands: { command: string }[]; walkthroughs: { id: string; steps: Step[] }[] };
};
const steps = manifest.contributes.walkthroughs.flatMap((w) => w.steps);
const commands = new Set(manifest.contributes.commands.map((c) => c.command));
const links = steps.flatMap((step) => [...step.description.matchAll(/\]\(command:([\w.]+)(?:\?([^)]+))?\)/g)].map((m) => ({ step: step.id, command: m[1], args: m[2] })));

test("the walkthrough's steps have media pages that exist under media/ (shipped)", () => {
  assert.ok(steps.length >= 4);
  for (const step of steps) {
    assert.ok(step.media.markdown?.startsWith("media/"), `${step.id}: media under media/ ships in the .vsix`);
    assert.ok(existsSync(step.media.markdown!), `${step.id}: ${step.media.markdown} is missing`);
  }
});

test("its buttons run contributed commands, and the examples they open exist and are packed", () => {
  assert.ok(links.length >= steps.length, "every step has a button");
  for (const link of links) assert.ok(commands.has(link.command), `${link.step}: ${link.command} is not a contributed command`);
  const opened = links.filter((l) => l.command === "falsify.openExample").map((l) => (JSON.parse(decodeURIComponent(l.args ?? "[]")) as string[])[0]);
  assert.deepEqual([...new Set(opened)].sort(), ["01-selectivity-ablation", "02-saliency-sanity", "03-representations", "04-linter-tour"]);
  for (const name of opened) assert.ok(existsSync(`examples/${name}.falsify`), name);
  const ignore = readFileSync(".vscodeignore", "utf8").split("\n");
  for (const pattern of ["!examples/*.falsify", "!examples/digits/**"]) assert.ok(ignore.includes(pattern), `.vscodeignore ships ${pattern}`);
});
