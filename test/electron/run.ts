// `npm run test:electron`: the extension's API-level tests inside a desktop VS Code downloaded by
// @vscode/test-electron (needs access to update.code.visualstudio.com, so it is not part of `npm test`;
// the code-server e2e in test/e2e covers the same ground there). Set VSCODE_EXECUTABLE to use an
// installed VS Code instead of downloading one.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runTests } from "@vscode/test-electron";
import { build } from "esbuild";

const REPO = resolve(__dirname, "../..");

async function main(): Promise<void> {
  // The extension host loads plain CommonJS: bundle the suite (vscode stays external).
  const extensionTestsPath = join(REPO, "out/electron/suite.js");
  await build({
    entryPoints: [join(__dirname, "suite.ts")],
    outfile: extensionTestsPath,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    external: ["vscode"],
    sourcemap: "inline",
    logLevel: "warning",
  });
  const workspace = mkdtempSync(join(tmpdir(), "falsify-electron-"));
  await runTests({
    extensionDevelopmentPath: REPO,
    extensionTestsPath,
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE,
    launchArgs: [workspace, "--disable-extensions", "--disable-workspace-trust", "--skip-welcome", "--skip-release-notes"],
    extensionTestsEnv: { FALSIFY_REPO: REPO, FALSIFY_WORKSPACE: workspace },
  });
}

main().catch((error: unknown) => {
  console.error(`test:electron failed: ${(error as Error).message ?? String(error)}`);
  console.error("It downloads VS Code unless VSCODE_EXECUTABLE names an installed one; offline, use `npm run test:e2e`.");
  process.exit(1);
});
