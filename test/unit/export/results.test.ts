// The results JSON: one canonical serialization, shard selection, and merging shard/seed files.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { runCli } from "../../../src/cli/main";
import type { Verdict } from "../../../src/core/display";
import {
  mergeResults,
  parseResults,
  parseShard,
  serializeResults,
  shardItems,
  type RunResults,
  type Shard,
} from "../../../src/core/export";
import { MIME } from "../../../src/core/display";
import { RunRecord } from "../../../src/runtime/run-record";

const VERDICT: Verdict = {
  hypothesis: "H1",
  verdict: "supported",
  test: "welch-t",
  alternative: "greater",
  alpha: 0.05,
  statistic: 3.2,
  p: 0.002,
  effect: { name: "mean difference", estimate: 0.4, ci: [0.1, Infinity] },
  n: { observed: 10, baseline: 10 },
  reason: "observed above baseline",
};

function run(seed: number, shard: Shard | undefined, metrics: RunResults["metrics"], notebook = "nb.falsify"): RunResults {
  const record = new RunRecord();
  record.begin({ notebook, seed, shard });
  for (const m of metrics) record.observe(m, MIME.metric);
  return record.results();
}

describe("results JSON", () => {
  test("the same results in any key order serialize to the same bytes; non-finite numbers are null, as in JSON outputs", () => {
    const a = new RunRecord();
    a.begin({ notebook: "nb.falsify", seed: 1 });
    a.observe(VERDICT);
    a.observe({ name: "acc", value: { b: NaN, a: [1, -Infinity] } }, MIME.metric);
    const reordered = Object.fromEntries(Object.entries(VERDICT).reverse());
    const b = new RunRecord();
    b.begin({ notebook: "nb.falsify", seed: 1 });
    b.observe(reordered, MIME.verdict);
    b.observe({ value: { a: [1, -Infinity], b: NaN }, name: "acc" }, MIME.metric);
    assert.equal(a.serializedResults(), b.serializedResults());
    const text = a.serializedResults();
    assert.match(text, /"ci": \[\n\s+0\.1,\n\s+null\n\s+\]/);
    assert.deepEqual(a.results().metrics[0].value, { a: [1, null], b: null });
    assert.ok(text.indexOf('"a"') < text.indexOf('"b"'), "keys sorted");
    assert.ok(text.endsWith("}\n"));
    const parsed = parseResults(text);
    assert.ok(parsed.ok, parsed.ok ? "" : parsed.error.message);
  });

  test("a verdict's label (which test of the hypothesis) is kept in the results and checked by the schema", () => {
    const session = new RunRecord();
    session.begin({ notebook: "nb.falsify", seed: 0 });
    session.observe({ ...VERDICT, label: "SmoothGrad" }, MIME.verdict);
    const text = session.serializedResults();
    const parsed = parseResults(text);
    assert.ok(parsed.ok && parsed.results.verdicts[0].label === "SmoothGrad", text);
    assert.equal(parseResults(text.replace('"label": "SmoothGrad"', '"label": 3')).ok, false, "a label is text");
  });

  test("only verdicts and metrics are collected, in display order", () => {
    const record = new RunRecord();
    record.begin({ notebook: "nb.falsify", seed: 0 });
    record.observe("some text");
    record.observe({ name: "not a metric without its MIME type", value: 1 });
    record.observe(VERDICT, MIME.text);
    record.observeOutputs([
      { items: [{ mime: MIME.metric, data: { name: "first", value: 1 } }] },
      { items: [{ mime: MIME.verdict, data: VERDICT }, { mime: MIME.text, data: "H1: supported" }] },
      { items: [{ mime: MIME.stdout, data: "log\n" }] },
      { items: [{ mime: MIME.chart, data: { mark: "bar", usermeta: { falsify: { chart: "histogram", baselines: [] } } } }, { mime: MIME.text, data: "[chart]" }] },
    ]);
    const results = record.results();
    assert.deepEqual(results.metrics, [{ name: "first", value: 1 }]);
    assert.equal(results.verdicts.length, 1);
    assert.deepEqual(record.charts.map(({ spec }) => spec.mark), ["bar"], "charts are collected for --svg-dir, not put in the results");
    assert.doesNotMatch(record.serializedResults(), /histogram/);
  });

  test("a file that is not results is refused with the first problem", () => {
    const bad = parseResults(JSON.stringify({ format: "falsify-results", version: 1, kind: "run", notebook: "x", seed: "7", verdicts: [], metrics: [] }));
    assert.equal(bad.ok, false);
    assert.match((bad as { error: { message: string } }).error.message, /seed/);
    assert.equal(parseResults("{").ok, false);
  });
});

describe("shards", () => {
  test("--shard i/n is 0-based and checked", () => {
    assert.deepEqual(parseShard("2/4"), { index: 2, count: 4 });
    assert.equal(typeof parseShard("4/4"), "string");
    assert.equal(typeof parseShard("1-4"), "string");
    assert.equal(typeof parseShard("0/0"), "string");
  });

  test("the shards of a list are disjoint and together are the whole list", () => {
    const items = Array.from({ length: 23 }, (_, i) => `item${i}`);
    for (const count of [1, 2, 5, 23, 30]) {
      const parts = Array.from({ length: count }, (_, index) => shardItems(items, { index, count }));
      assert.deepEqual(parts.flat().sort(), [...items].sort(), `count ${count}`);
      assert.equal(new Set(parts.flat()).size, items.length);
      assert.ok(Math.max(...parts.map((p) => p.length)) - Math.min(...parts.map((p) => p.length)) <= 1, "balanced");
    }
    assert.deepEqual(shardItems(items, undefined), items);
  });
});

const s0 = run(7, { index: 0, count: 2 }, [{ name: "item", value: 0 }]);
const s1 = run(7, { index: 1, count: 2 }, [{ name: "item", value: 10 }]);

describe("merge", () => {
  test("shards are concatenated by shard index whatever the input order, each tagged with its origin", () => {
    const forward = mergeResults([s0, s1], ["a", "b"]);
    const backward = mergeResults([s1, s0], ["b", "a"]);
    assert.ok(forward.ok && backward.ok);
    assert.equal(serializeResults(forward.merged), serializeResults(backward.merged));
    assert.deepEqual(forward.merged.metrics, [
      { name: "item", value: 0, seed: 7, shard: { index: 0, count: 2 } },
      { name: "item", value: 10, seed: 7, shard: { index: 1, count: 2 } },
    ]);
    assert.ok(parseResults(serializeResults(forward.merged)).ok, "merged files match the schema");
    const again = mergeResults([forward.merged], ["merged.json"]);
    assert.ok(again.ok);
    assert.equal(serializeResults(again.merged), serializeResults(forward.merged), "a merged file merges to itself");
  });

  test("refusals: another notebook, another seed without --sweep, a missing, duplicate or differently split shard", () => {
    const kind = (inputs: RunResults[], sweep = false) => {
      const result = mergeResults(inputs, inputs.map((_, i) => `f${i}.json`), { sweep });
      return result.ok ? "ok" : result.error.kind;
    };
    assert.equal(kind([s0, run(7, { index: 1, count: 2 }, [], "other.falsify")]), "mixed-notebooks");
    assert.equal(kind([run(1, undefined, []), run(2, undefined, [])]), "mixed-seeds");
    assert.equal(kind([run(1, undefined, []), run(2, undefined, [])], true), "ok");
    assert.equal(kind([s0]), "missing-shard");
    assert.equal(kind([s0, s0, s1]), "duplicate-shard");
    assert.equal(kind([s0, run(7, { index: 1, count: 3 }, [])]), "shard-count");
    assert.equal(kind([run(7, undefined, []), s0, s1]), "duplicate-shard");
  });

  test("a sweep sorts by seed, then shard", () => {
    const merged = mergeResults([run(9, undefined, [{ name: "m", value: 9 }]), s1, run(2, undefined, [{ name: "m", value: 2 }]), s0], ["a", "b", "c", "d"], { sweep: true });
    assert.ok(merged.ok);
    assert.deepEqual(merged.merged.runs.map((r) => `${r.seed}:${r.shard?.index ?? "-"}`), ["2:-", "7:0", "7:1", "9:-"]);
    assert.deepEqual(merged.merged.metrics.map((m) => m.value), [2, 0, 10, 9]);
  });
});

describe("falsify merge", () => {
  const scratch = mkdtempSync(join(tmpdir(), "falsify-merge-"));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const file = (name: string, results: RunResults | string) => {
    const path = join(scratch, name);
    writeFileSync(path, typeof results === "string" ? results : serializeResults(results));
    return path;
  };
  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  };

  test("writes the merged file and exits 0", async () => {
    const out = join(scratch, "merged.json");
    const result = await cli("merge", file("r1.json", s1), file("r0.json", s0), "-o", out);
    assert.equal(result.code, 0, result.err.join("\n"));
    assert.match(result.out[0], /2 runs, 0 verdicts, 2 metrics/);
    const merged = mergeResults([s0, s1], ["", ""]);
    assert.ok(merged.ok);
    assert.equal(readFileSync(out, "utf8"), serializeResults(merged.merged));
  });

  test("exits 1 naming the file for invalid results or a refused merge, 2 for usage", async () => {
    const invalid = await cli("merge", file("bad.json", '{"format":"falsify-results"}'));
    assert.equal(invalid.code, 1);
    assert.match(invalid.err[0], /bad\.json:1:1: not Falsify results/);
    const refused = await cli("merge", file("s0.json", s0));
    assert.equal(refused.code, 1);
    assert.match(refused.err[0], /refused \(missing-shard\).*1\/2/);
    assert.equal((await cli("merge")).code, 2);
  });

  // Issue 14: counts and origins in a results file are data, checked against the files given.
  const MERGE = "test/fixtures/export/merge";
  test("a shard count of 10^9 or 2^32 is refused at once, counting the missing shards instead of listing them", async () => {
    const billion = await cli("merge", join(MERGE, "shard-count-billion.json"));
    assert.equal(billion.code, 1);
    assert.deepEqual(billion.err, [
      "falsify merge: refused (missing-shard): seed 0 is missing 999999999 shards (1/1000000000, 2/1000000000, 3/1000000000, 4/1000000000, 5/1000000000 and 999999994 more) of the 1000000000 it was split into; 1 file given: every shard must have finished",
    ]);
    const huge = await cli("merge", join(MERGE, "shard-count-2pow32.json"));
    assert.equal(huge.code, 1);
    assert.match(huge.err[0], /^falsify merge: refused \(missing-shard\): seed 0 is missing 4294967295 shards \(0\/4294967296, 2\/4294967296/);
  });

  test("a merged file with a verdict whose seed its runs do not list is refused, not merged without it", async () => {
    const orphan = await cli("merge", join(MERGE, "orphan-verdict.json"));
    assert.equal(orphan.code, 1);
    assert.deepEqual(orphan.err, [
      `falsify merge: refused (inconsistent): ${join(MERGE, "orphan-verdict.json")}: verdict 1 (H1) has seed 5, which none of its runs lists: a merged file's verdicts and metrics must come from the runs it lists`,
    ]);
  });
});
