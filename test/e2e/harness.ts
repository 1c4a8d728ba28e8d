// The end-to-end harness: a real VS Code (code-server from .cache/, see src/scripts/setup-code-server.sh)
// with the packaged dist/falsify.vsix installed, driven by Debian's chromium through playwright-core.
// Its user data, extensions and workspaces live in a fresh folder under the system's temp folder, and
// code-server runs without NODE_PATH: the extension finds no node_modules it did not bring, as on a
// user's machine (a scenario that wants the repository's tfjs-node links it into its workspace).
//
// A scenario is a file test/e2e/scenarios/<name>.e2e.ts exporting
//   export const scenario: Scenario = { name, workspaceFiles, run: async (ctx) => { ... } };
// Each scenario gets a fresh workspace folder (its files copied in) and its own VS Code window (a new
// browser context, hence a new extension host). One code-server serves all scenarios of a run.
// Synchronise with `waitFor` on a condition, never with a sleep.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { waitFor } from "./wait";
import { openFile, runCommand, waitForWorkbench } from "./workbench";

export { waitFor };

export interface Scenario {
  /** Shown in the report; also names the workspace folder and screenshots. */
  name: string;
  /** Files copied into the fresh workspace: workspace-relative name -> path relative to the repo. */
  workspaceFiles?: Record<string, string>;
  /** Workspace settings (.vscode/settings.json) on top of the harness's user settings. */
  settings?: Record<string, unknown>;
  /** Whole-scenario limit, default 120 s. */
  timeoutMs?: number;
  /**
   * Open the workspace in Restricted Mode (workspace trust on, the folder not trusted). Such
   * scenarios run on a second code-server started with trust enabled.
   */
  untrusted?: boolean;
  run(ctx: ScenarioContext): Promise<void>;
}

export interface ScenarioContext {
  /** The VS Code window, already showing the workspace. */
  page: Page;
  /** Absolute path of the scenario's workspace folder. */
  workspace: string;
  /** Absolute path of a workspace file. */
  path(name: string): string;
  /** A workspace file as it is on disk now. */
  readText(name: string): string;
  readBytes(name: string): Buffer;
  /** Opens a workspace file through Quick Open (Ctrl+P). */
  openFile(name: string): Promise<void>;
  /** Runs a command by its palette title, e.g. "Falsify: New Falsify Notebook". */
  runCommand(title: string): Promise<void>;
  /** Saves .e2e/screenshots/<scenario>-<label>.png (the window, or only `clip` of it) and returns its path. */
  screenshot(label: string, clip?: { x: number; y: number; width: number; height: number }): Promise<string>;
  /** Prints a line under the scenario's name in the report. */
  log(line: string): void;
}

export const REPO = resolve(__dirname, "../..");
export const E2E_DIR = join(REPO, ".e2e");
export const SCREENSHOTS = join(E2E_DIR, "screenshots");
const CACHE = join(REPO, ".cache");
const NODE24 = join(CACHE, "node24/bin/node");
const CODE_SERVER = join(CACHE, "code-server/out/node/entry.js");
const VSIX = join(REPO, "dist/falsify.vsix");

/** User settings: a quiet, deterministic workbench (no welcome page, no trust prompt, no suggestions). */
const USER_SETTINGS = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "falsify.walkthrough.openOnFirstStart": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "chat.disableAIFeatures": true,
  "files.autoSave": "off",
  "editor.quickSuggestions": { other: false, comments: false, strings: false },
  "editor.suggestOnTriggerCharacters": false,
  "editor.acceptSuggestionOnCommitCharacter": false,
  "editor.autoClosingBrackets": "never",
  "editor.autoClosingQuotes": "never",
  "editor.formatOnType": false,
  "git.enabled": false,
};

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Restricted Mode: trust on, no prompt, so every folder opens untrusted. */
const RESTRICTED_SETTINGS = {
  "security.workspace.trust.enabled": true,
  "security.workspace.trust.startupPrompt": "never",
  "security.workspace.trust.emptyWindow": false,
};

/**
 * One code-server + one chromium for a run, with workspace trust off (`trust: "off"`, every folder
 * trusted) or on (`"restricted"`, folders open in Restricted Mode). Always `stop()` it (the runner
 * does, in `finally`).
 */
export class Harness {
  private server?: ChildProcess;
  private browser?: Browser;
  private port = 0;
  /** The temp folder holding user data, extensions and workspaces (made by start(), removed by stop()). */
  private root = "";
  readonly serverLog: string;

  constructor(private readonly trust: "off" | "restricted" = "off") {
    const suffix = trust === "off" ? "" : "-restricted";
    this.serverLog = join(E2E_DIR, `code-server${suffix}.log`);
  }

  private get userDataDir(): string {
    return join(this.root, "user-data");
  }

  private get extensionsDir(): string {
    return join(this.root, "extensions");
  }

  private get workspacesDir(): string {
    return join(this.root, "workspaces");
  }

  async start(): Promise<void> {
    for (const required of [NODE24, CODE_SERVER]) {
      if (!existsSync(required)) throw new Error(`${required} is missing: run \`npm run setup:e2e\` first`);
    }
    if (!existsSync(VSIX)) throw new Error(`${VSIX} is missing: run \`npm run build:production && npm run package\` first`);
    this.root = mkdtempSync(join(tmpdir(), `falsify-e2e${this.trust === "off" ? "" : "-restricted"}-`));
    for (const dir of [this.userDataDir, this.extensionsDir, this.workspacesDir]) mkdirSync(dir, { recursive: true });
    mkdirSync(SCREENSHOTS, { recursive: true });
    mkdirSync(join(this.userDataDir, "User"), { recursive: true });
    const settings = this.trust === "off" ? USER_SETTINGS : { ...USER_SETTINGS, ...RESTRICTED_SETTINGS };
    writeFileSync(join(this.userDataDir, "User/settings.json"), JSON.stringify(settings, null, 2));

    const dirs = ["--user-data-dir", this.userDataDir, "--extensions-dir", this.extensionsDir];
    const env = { ...process.env, NODE_PATH: undefined };
    const install = spawnSync(NODE24, [CODE_SERVER, ...dirs, "--install-extension", VSIX], { encoding: "utf8", env });
    if (install.status !== 0 || !/successfully installed/i.test(install.stdout + install.stderr)) {
      throw new Error(`Installing ${VSIX} into code-server failed:\n${install.stdout}\n${install.stderr}`);
    }

    this.port = await freePort();
    const log = createWriteStream(this.serverLog);
    // Its own process group, so stop() also ends the extension hosts and helpers it forks.
    this.server = spawn(
      NODE24,
      [CODE_SERVER, "--auth", "none", "--bind-addr", `127.0.0.1:${this.port}`, "--disable-telemetry", "--disable-update-check", ...(this.trust === "off" ? ["--disable-workspace-trust"] : []), ...dirs],
      { detached: true, stdio: ["ignore", "pipe", "pipe"], env },
    );
    this.server.stdout?.pipe(log);
    this.server.stderr?.pipe(log);
    process.once("exit", this.killServer);
    const server = this.server;
    await waitFor(
      async () => {
        if (server.exitCode !== null) throw new Error(`code-server exited with ${server.exitCode}; see ${this.serverLog}`);
        const response = await fetch(`http://127.0.0.1:${this.port}/healthz`);
        return response.ok;
      },
      30_000,
      `code-server to answer on port ${this.port}`,
    );

    this.browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  }

  /** Runs one scenario in a fresh workspace and window; rejects with the scenario's failure. */
  async run(scenario: Scenario, log: (line: string) => void): Promise<void> {
    if (!this.browser) throw new Error("Harness.run before start()");
    const slug = scenario.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    const workspace = join(this.workspacesDir, slug);
    mkdirSync(workspace, { recursive: true });
    for (const [name, source] of Object.entries(scenario.workspaceFiles ?? {})) {
      mkdirSync(dirname(join(workspace, name)), { recursive: true });
      copyFileSync(join(REPO, source), join(workspace, name));
    }
    if (scenario.settings) {
      mkdirSync(join(workspace, ".vscode"), { recursive: true });
      writeFileSync(join(workspace, ".vscode/settings.json"), JSON.stringify(scenario.settings, null, 2));
    }

    const context: BrowserContext = await this.browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    const consoleLog = createWriteStream(join(E2E_DIR, `${slug}.console.log`));
    page.on("console", (message) => consoleLog.write(`[${message.type()}] ${message.text()}\n`));
    page.on("pageerror", (error) => consoleLog.write(`[pageerror] ${error.stack ?? error.message}\n`));

    const path = (name: string) => join(workspace, name);
    const screenshot: ScenarioContext["screenshot"] = async (label, clip) => {
      const file = join(SCREENSHOTS, `${slug}-${label}.png`);
      await page.screenshot({ path: file, clip });
      return file;
    };
    const ctx: ScenarioContext = {
      page,
      workspace,
      path,
      readText: (name) => readFileSync(path(name), "utf8"),
      readBytes: (name) => readFileSync(path(name)),
      openFile: (name) => openFile(page, name),
      runCommand: (title) => runCommand(page, title),
      screenshot,
      log,
    };

    let timer: NodeJS.Timeout | undefined;
    const timeoutMs = scenario.timeoutMs ?? 120_000;
    try {
      // The workbench's own wait (below) is the real condition; a loaded, shared machine can take more
      // than playwright's default 30 s for the page's load event alone.
      await page.goto(`http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: "domcontentloaded", timeout: 120_000 });
      await waitForWorkbench(page);
      await Promise.race([
        scenario.run(ctx),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`scenario took longer than ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      const shot = await screenshot("failure").catch(() => undefined);
      if (shot) log(`screenshot of the failure: ${shot}`);
      log(`browser console: ${join(E2E_DIR, `${slug}.console.log`)}; code-server: ${this.serverLog}`);
      throw error;
    } finally {
      clearTimeout(timer);
      await context.close().catch(() => undefined);
      consoleLog.end();
    }
  }

  async stop(): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    this.browser = undefined;
    const server = this.server;
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((done) => server.once("exit", done));
      signalGroup(server, "SIGTERM");
      const killed = await Promise.race([exited.then(() => true), new Promise((done) => setTimeout(() => done(false), 5_000))]);
      if (!killed) signalGroup(server, "SIGKILL");
      this.killServer(); // helpers that outlived the server process
      process.off("exit", this.killServer);
    }
    if (this.root) rmSync(this.root, { recursive: true, force: true });
  }

  /** Synchronous, for process exit: nothing of code-server's may outlive the run. */
  private readonly killServer = () => {
    if (this.server) signalGroup(this.server, "SIGKILL");
  };
}

/**
 * With FALSIFY_README_SCREENSHOTS=1 (`npm run screenshots`), copies a screenshot over the README's
 * picture media/screenshots/<name>.png: the README shows the product as the e2e saw it.
 */
export function keepForReadme(file: string, name: string): void {
  if (process.env.FALSIFY_README_SCREENSHOTS) copyFileSync(file, join(REPO, "media", "screenshots", `${name}.png`));
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (address && typeof address === "object" ? done(address.port) : fail(new Error("no port"))));
    });
  });
}

function chromiumPath(): string {
  if (process.env.FALSIFY_CHROMIUM) return process.env.FALSIFY_CHROMIUM;
  const found = spawnSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).stdout.trim();
  if (!found) throw new Error("chromium not found: run `npm run setup:e2e` (installs Debian's chromium) or set FALSIFY_CHROMIUM");
  return found;
}
