// `falsify run`: exit codes (success, a failing cell stops the rest, --fail-on gates on verdicts),
// and --write, which puts outputs and their provenance into the notebook.
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { parseRunArgs, runCommand, type RunOptions } from "../../../src/cli/run";
import { exportScript } from "../../../src/core/export";
import { outputsHash } from "../../../src/core/format";
import { parseNotebook, serializeNotebook, type Cell, type Notebook } from "../../../src/core/format";
import { kernelScript } from "../kernel/support";

const scratch = mkdtempSync(join(tmpdir(), "falsify-run-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

function code(id: string, source: string): Cell {
  return { id, kind: "code", language: "typescript", source, metadata: {}, outputs: [] };
}

/** A repro of test/fixtures/run/, copied: runs with --write change it. */
function fixture(name: string): string {
  const path = join(scratch, name);
  copyFileSync(`test/fixtures/run/${name}`, path);
  return path;
}

function write(name: string, ...cells: Cell[]): string {
  const notebook: Notebook = { format: "falsify", version: 1, metadata: { seed: 1 }, cells };
  const path = join(scratch, name);
  writeFileSync(path, serializeNotebook(notebook));
  return path;
}

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, { kernelScript: kernelScript() });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const verdictCell = (id: string, word: string) =>
  code(
    id,
    `display({ hypothesis: "${id}", verdict: "${word}", test: "welch-t", alternative: "greater", alpha: 0.05, statistic: 1, p: 0.2, ` +
      `effect: { name: "mean difference", estimate: 0.1, ci: [-0.1, 0.3] }, n: { observed: 5, baseline: 5 }, reason: "made up" });`,
  );

describe("falsify run exit codes", () => {
  test("0 when every cell runs; each cell's status is printed", async () => {
    const result = await run(write("ok.falsify", code("a", "const x = 20;"), code("b", "x + 1")));
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /^ {2}ok +a \(\d+ ms\)$/m);
    assert.match(result.out, /^ {2}ok +b /m);
  });

  test("1 when a cell fails: its error is shown and the cells after it do not run", async () => {
    const path = write("fails.falsify", code("a", "const y = 1;"), code("b", 'throw new Error("boom");'), code("c", 'fx.record("never", 1);'));
    const result = await run(path, "--out", join(scratch, "fails.json"));
    assert.equal(result.code, 1);
    assert.match(result.out, /^ {2}error +b/m);
    assert.match(result.out, /Error: boom/);
    assert.match(result.out, /^ {2}skipped +c$/m);
    assert.match(result.err, /cell b failed/);
    assert.doesNotMatch(readFileSync(join(scratch, "fails.json"), "utf8"), /never/);
  });

  test("--fail-on gates on verdicts: falsified fails on falsified; inconclusive also on inconclusive", async () => {
    const inconclusive = write("inconclusive.falsify", verdictCell("H1", "inconclusive"), verdictCell("H2", "supported"));
    assert.equal((await run(inconclusive, "--fail-on", "falsified")).code, 0);
    const gated = await run(inconclusive, "--fail-on", "inconclusive");
    assert.equal(gated.code, 1);
    assert.match(gated.err, /--fail-on inconclusive: H1 inconclusive/);
    assert.match(gated.out, /verdict H2: supported/);
    const falsified = write("falsified.falsify", verdictCell("H3", "falsified"));
    assert.equal((await run(falsified, "--fail-on", "falsified")).code, 1);
  });

  test("2 for usage errors and unreadable notebooks", async () => {
    assert.equal((await run()).code, 2);
    assert.equal((await run("a.falsify", "--fail-on", "maybe")).code, 2);
    assert.equal((await run(join(scratch, "missing.falsify"))).code, 2);
  });
});

describe("falsify run --log-output", () => {
  const printing = () =>
    write(
      "prints.falsify",
      code("a", 'console.log("first line");\nawait new Promise((r) => setTimeout(r, 1500));\nconsole.error("to stderr");\nprocess.stdout.write("no newline");\ndisplay("shown");\n41 + 1'),
      code("b", 'const explode = () => {\n  throw new Error("boom");\n};\nexplode();'),
    );

  test("streams each cell's stdout, stderr and displays as it runs; the failing cell's mapped stack prints too", async () => {
    const out: { line: string; at: number }[] = [];
    const err: string[] = [];
    const io = { out: (line: string) => out.push({ line, at: Date.now() }), err: (line: string) => err.push(line) };
    const code = await runCommand([printing(), "--log-output"], io, { kernelScript: kernelScript() });
    assert.equal(code, 1);
    const lines = out.map((o) => o.line);
    const index = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
    const [running, first, partial, shown, value, ok] = [/^ {2}running +a$/, /^first line$/, /^no newline$/, /^shown$/, /^42$/, /^ {2}ok +a /].map(index);
    assert.ok(running >= 0 && running < first && first < partial && partial < shown && shown < value && value < ok, lines.join("\n"));
    // Printed when the cell printed it, not when the cell ended (1.5 s later).
    assert.ok(out[ok].at - out[first].at >= 1000, `first line printed ${out[ok].at - out[first].at} ms before the cell ended`);
    assert.deepEqual(err.filter((line) => line === "to stderr"), ["to stderr"]);
    assert.match(lines.join("\n"), /^ {2}error +b[\s\S]*Error: boom[\s\S]*at explode \(cell[^)]*:2:9\)/m);
  });

  test("without it the cells' output stays out of the terminal, and the failing cell's error still prints", async () => {
    const result = await run(printing());
    assert.equal(result.code, 1);
    assert.doesNotMatch(result.out, /first line|shown|running/);
    assert.doesNotMatch(result.err, /to stderr/);
    assert.match(result.out, /^ {2}error +b[\s\S]*Error: boom[\s\S]*at explode \(cell[^)]*:2:9\)/m);
  });
});

describe("falsify run --write", () => {
  test("writes outputs with their provenance; the export then accepts them, and refuses once one is edited by hand", async () => {
    const path = write("write.falsify", code("a", 'fx.record("acc", 0.5);\n"hello"'));
    const result = await run(path, "--write");
    assert.equal(result.code, 0, result.err);
    const parsed = parseNotebook(readFileSync(path, "utf8"));
    assert.ok(parsed.ok);
    const cell = parsed.notebook.cells[0];
    assert.deepEqual(cell.outputs.map((o) => o.items[0].mime), ["application/vnd.falsify.metric+json", "text/plain"]);
    assert.equal(cell.execution?.success, true);
    assert.equal(cell.execution?.outputsHash, outputsHash(cell.outputs));
    const options = { notebookName: "write.falsify", generator: "falsify test" };
    assert.equal(exportScript(parsed.notebook, options).ok, true);

    cell.outputs[1].items[0].data = "hello, edited";
    const refused = exportScript(parsed.notebook, options);
    assert.equal(refused.ok, false);
    assert.equal((refused as { error: { kind: string } }).error.kind, "edited-output");
  });
});

describe("falsify run --write while the file changes", () => {
  test("a cell added to the file during the run is kept, the outputs merged in by cell id (it used to be lost)", async () => {
    // The cell plays the editor: it adds a cell to its own notebook file while the run is going.
    const path = fixture("grows.falsify");
    const result = await run(path, "--write");
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /wrote outputs into .*grows\.falsify \(it changed during the run: merged by cell id\)/);
    const parsed = parseNotebook(readFileSync(path, "utf8"));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.notebook.cells.map((cell) => cell.id), ["about", "grow", "added"]);
    assert.equal(parsed.notebook.cells[1].outputs[0].items[0].data, "grown");
  });
});

describe("falsify run --timeout and --max-output-chars", () => {
  test("a runaway loop is interrupted after the limit and named; the cells after it do not run; printed text is capped", async () => {
    const path = fixture("runaway.falsify");
    const result = await run(path, "--timeout", "1", "--max-output-chars", "10", "--write");
    assert.equal(result.code, 1);
    assert.match(result.out, /ok {7}loud[\s\S]*interrupted spin[\s\S]*skipped {2}after/);
    assert.match(result.err, /falsify run: cell spin ran longer than 1 s \(--timeout; 30 min by default in CI\) and was interrupted; the cells after it did not run/);
    const parsed = parseNotebook(readFileSync(path, "utf8"));
    assert.ok(parsed.ok);
    const printed = parsed.notebook.cells.find((cell) => cell.id === "loud")!.outputs.flatMap((o) => o.items.map((item) => item.data));
    assert.deepEqual(printed, ["yyyyyyyyyy", "\n[falsify: this cell printed or displayed 91 more characters of text than the 10 a run keeps; they were dropped (setting falsify.kernel.maxOutputChars, falsify run --max-output-chars)]\n"]);
  });

  test("a cell that does not stop when interrupted (blocked in native code) is killed with the kernel", async () => {
    const path = fixture("blocked.falsify");
    const result = await run(path, "--timeout", "1");
    assert.equal(result.code, 1);
    assert.match(result.err, /cell blocked ran longer than 1 s .* did not stop when interrupted and was killed with the kernel/);
  });

  test("the limits are whole numbers; CI runs get 30 minutes per cell unless told otherwise", () => {
    for (const bad of [["--timeout=-1"], ["--timeout", "1.5"], ["--max-output-chars", "0"]]) {
      assert.match(String(parseRunArgs(["n.falsify", ...bad])), /takes a whole number/, bad.join(" "));
    }
    // A missing value (or one that reads as a flag) is refused by the command line itself.
    for (const bad of [["--timeout"], ["--timeout", "-1"]]) assert.match(String(parseRunArgs(["n.falsify", ...bad])), /Option '--timeout( <value>)?' argument/, bad.join(" "));
    const ci = process.env.CI;
    try {
      process.env.CI = "true";
      assert.equal((parseRunArgs(["n.falsify"]) as RunOptions).timeout, 1800);
      assert.equal((parseRunArgs(["n.falsify", "--timeout", "0"]) as RunOptions).timeout, 0);
      delete process.env.CI;
      assert.equal((parseRunArgs(["n.falsify"]) as RunOptions).timeout, undefined);
    } finally {
      if (ci === undefined) delete process.env.CI;
      else process.env.CI = ci;
    }
  });
});

describe("falsify run --svg-dir", () => {
  test("a chart that cannot be drawn is an error on that chart: the run, the other charts and --write go on, exit 1", async () => {
    const spec = (name: string) => readFileSync(`test/fixtures/charts/hostile/${name}`, "utf8").trim();
    const path = write(
      "charts.falsify",
      code("reads", `display(${spec("file-url.vl.json")}, "application/vnd.vegalite.v5+json");`),
      code("fine", `display(${spec("escaping-name.vl.json")}, "application/vnd.vegalite.v5+json");`),
    );
    const dir = join(scratch, "charts");
    const result = await run(path, "--svg-dir", dir, "--write");
    assert.equal(result.code, 1, result.err);
    assert.match(result.out, /ok {7}reads[\s\S]*ok {7}fine/);
    assert.match(result.err, /falsify run: chart 1 \(cell reads\) could not be drawn: The chart's data could not be loaded: charts load no data from outside the spec/);
    assert.match(result.out, /wrote 1 chart to /);
    assert.deepEqual(readdirSync(dir), ["chart-02-x-escaped.svg"]);
    const parsed = parseNotebook(readFileSync(path, "utf8"));
    assert.ok(parsed.ok);
    assert.equal(parsed.notebook.cells[1].outputs.length, 1, "--write still wrote the outputs");
  });
});
