// Runs every test/unit/**/*.test.ts with Node's own test runner (TypeScript through tsx).
// Extra arguments are passed on, e.g. `npm run test:unit -- --test-name-pattern=cka`.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

const files = testFiles("test/unit").sort();
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...process.argv.slice(2), ...files], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
