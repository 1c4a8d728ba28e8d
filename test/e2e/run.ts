// Runs the end-to-end scenarios (test/e2e/scenarios/*.e2e.ts) in code-server. Builds nothing:
// `npm run test:e2e` sets up code-server, builds and packages first.
//   node --import tsx test/e2e/run.ts [filter...]   only scenarios whose file or name contains a filter
// Prints one line per scenario and ends with `N passed, N failed`; exits 1 if any failed.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Harness, SCREENSHOTS, type Scenario } from "./harness";

const SCENARIOS_DIR = join(__dirname, "scenarios");

async function loadScenarios(filters: string[]): Promise<Scenario[]> {
  const files = readdirSync(SCENARIOS_DIR)
    .filter((name) => name.endsWith(".e2e.ts"))
    .sort();
  const scenarios: Scenario[] = [];
  for (const file of files) {
    // A file exports one `scenario`, or `scenarios` when one procedure runs over a table of cases.
    const module = (await import(join(SCENARIOS_DIR, file))) as { scenario?: Scenario; scenarios?: Scenario[] };
    const found = module.scenarios ?? (module.scenario ? [module.scenario] : []);
    if (!found.length) throw new Error(`${file} must export \`scenario: Scenario\` or \`scenarios: Scenario[]\``);
    for (const scenario of found) {
      if (filters.length && !filters.some((filter) => file.includes(filter) || scenario.name.includes(filter))) continue;
      scenarios.push(scenario);
    }
  }
  return scenarios;
}

async function main(): Promise<number> {
  const scenarios = await loadScenarios(process.argv.slice(2));
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  let passed = 0;
  let failed = 0;
  // Ctrl+C or a kill must still end code-server and chromium (stop() runs in `finally`).
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
  // Trusted scenarios first, then those in Restricted Mode on a server started with trust on.
  for (const trust of ["off", "restricted"] as const) {
    const mine = scenarios.filter((scenario) => (scenario.untrusted ? "restricted" : "off") === trust);
    if (!mine.length) continue;
    const outcome = await runOn(new Harness(trust), mine);
    passed += outcome.passed;
    failed += outcome.failed;
  }
  console.log(`screenshots: ${SCREENSHOTS}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed || !scenarios.length ? 1 : 0;
}

async function runOn(harness: Harness, scenarios: Scenario[]): Promise<{ passed: number; failed: number }> {
  let passed = 0;
  let failed = 0;
  try {
    const started = Date.now();
    await harness.start();
    console.log(`code-server and chromium up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const scenario of scenarios) {
      const begin = Date.now();
      const lines: string[] = [];
      try {
        await harness.run(scenario, (line) => lines.push(line));
        passed++;
        console.log(`✔ ${scenario.name} (${((Date.now() - begin) / 1000).toFixed(1)} s)`);
      } catch (error) {
        failed++;
        console.log(`✘ ${scenario.name} (${((Date.now() - begin) / 1000).toFixed(1)} s)`);
        console.log(indent((error as Error).stack ?? String(error)));
      }
      for (const line of lines) console.log(indent(line));
    }
  } catch (error) {
    // The harness itself failed (setup, install, server): every scenario not yet run counts as failed.
    console.log(`✘ e2e harness: ${(error as Error).stack ?? String(error)}`);
    failed = scenarios.length - passed;
  } finally {
    await harness.stop();
  }
  return { passed, failed };
}

function indent(text: string): string {
  return text.replace(/^/gm, "    ");
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
