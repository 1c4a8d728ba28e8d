// `npm run bench [filter]`: runs every test/bench/*.bench.ts (or those whose id contains the
// filter) and prints one table of figures with their baselines and ratios (subject / baseline;
// below 1 means the subject is faster or smaller). `--json file` also writes the table as JSON.
import { writeFileSync } from "node:fs";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ratio, type Benchmark, type Measurement } from "./harness";

async function main() {
  const args = process.argv.slice(2);
  const jsonAt = args.indexOf("--json");
  const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
  const filter = args.find((arg, i) => !arg.startsWith("--") && (jsonAt < 0 || i !== jsonAt + 1));
  const files = readdirSync(__dirname).filter((f) => f.endsWith(".bench.ts")).sort();
  const rows: { id: string; m: Measurement }[] = [];
  let failed = false;
  for (const file of files) {
    const { benchmarks } = (await import(join(__dirname, file))) as { benchmarks: Benchmark[] };
    for (const bench of benchmarks) {
      if (filter && !bench.id.includes(filter)) continue;
      process.stderr.write(`running ${bench.id}...\n`);
      try {
        const result = await bench.run();
        for (const m of Array.isArray(result) ? result : [result]) rows.push({ id: bench.id, m });
      } catch (error) {
        failed = true;
        process.stderr.write(`${bench.id} failed: ${(error as Error).stack ?? error}\n`);
      }
    }
  }
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(3));
  const table = rows.map(({ id, m }) => [
    id,
    `${m.subject.name}: ${fmt(m.subject.value)} ${m.subject.unit}`,
    `${m.baseline.name}: ${fmt(m.baseline.value)} ${m.baseline.unit}`,
    `${ratio(m).toFixed(2)}x`,
    m.target ?? "",
    m.note ?? "",
  ]);
  const header = ["benchmark", "subject", "baseline", "ratio", "target", "note"];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join(" | ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
  for (const r of table) console.log(line(r));
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify(rows.map(({ id, m }) => ({ id, ...m, ratio: ratio(m) })), null, 2));
  if (failed) process.exitCode = 1;
}

void main();
