// Runs every test/unit/**/*.test.ts with Node's own test runner (TypeScript through tsx).
// `npm run test:unit -- test/unit/stats` runs one folder; flags pass on, e.g. --test-name-pattern=cka.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

// Named test files (or folders) run alone; other arguments are flags for node --test.
const args = process.argv.slice(2);
const named = args.filter((arg) => !arg.startsWith("-"));
const flags = args.filter((arg) => arg.startsWith("-"));
const files = (named.length ? named.flatMap((p) => (p.endsWith(".ts") ? [p] : testFiles(p))) : testFiles("test/unit")).sort();
// One test file per core (node --test's default, cores - 1, runs one at a time on CI's 2 cores): a file
// spends much of its time starting (tsx, tfjs) or waiting on what it starts (kernels, the CLI, Chromium,
// Slurm), time another file can use. Files share no state: scratch folders and builds are per process.
// `--test-concurrency=1` runs them one by one.
const concurrency = flags.some((flag) => flag.startsWith("--test-concurrency")) ? [] : [`--test-concurrency=${availableParallelism()}`];
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...concurrency, ...flags, ...files], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
