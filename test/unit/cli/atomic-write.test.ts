// Every file the CLI writes is written whole or not at all (issue 14): on a full disk `falsify fmt`
// used to leave the notebook truncated (a 24,819-byte notebook cut to the 32,768 bytes that fit of
// its 46,001-byte canonical form). Tested with an injected failing writer, and, where this process
// may mount (root, as on the development machine), with the repro itself on a 32 KiB tmpfs.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, describe, test } from "node:test";
import { FileChangedError, writeFileAtomic } from "../../../src/core/atomic-write";

const scratch = mkdtempSync(join(tmpdir(), "falsify-atomic-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

function folder(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  return dir;
}

const enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });

describe("writeFileAtomic", () => {
  test("a write that fails halfway leaves the original untouched and no temporary file", async () => {
    const dir = folder("fails");
    const path = join(dir, "notebook.falsify");
    writeFileSync(path, "original bytes");
    const halfThenFull = async (file: import("node:fs/promises").FileHandle, data: string | Uint8Array) => {
      await file.write(String(data).slice(0, 5));
      throw enospc();
    };
    await assert.rejects(writeFileAtomic(path, "a much longer rewrite", { write: halfThenFull }), /ENOSPC/);
    assert.equal(readFileSync(path, "utf8"), "original bytes");
    assert.deepEqual(readdirSync(dir), ["notebook.falsify"]);
  });

  test("replaces the file whole, keeping its permissions, and through a symbolic link keeps the link", async () => {
    const dir = folder("replaces");
    const path = join(dir, "real.falsify");
    writeFileSync(path, "old");
    chmodSync(path, 0o600);
    symlinkSync("real.falsify", join(dir, "link.falsify"));
    await writeFileAtomic(join(dir, "link.falsify"), "new");
    assert.equal(readFileSync(path, "utf8"), "new");
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.ok(lstatSync(join(dir, "link.falsify")).isSymbolicLink());
    assert.deepEqual(readdirSync(dir).sort(), ["link.falsify", "real.falsify"]);
    await writeFileAtomic(join(dir, "fresh.txt"), "created");
    assert.equal(readFileSync(join(dir, "fresh.txt"), "utf8"), "created");
  });

  test("with `unchanged`, a file that changed since it was read is not overwritten", async () => {
    const dir = folder("conflict");
    const path = join(dir, "notebook.falsify");
    writeFileSync(path, "as read");
    const read = readFileSync(path);
    writeFileSync(path, "edited meanwhile");
    await assert.rejects(writeFileAtomic(path, "stale copy", { unchanged: read }), FileChangedError);
    assert.equal(readFileSync(path, "utf8"), "edited meanwhile");
    assert.deepEqual(readdirSync(dir), ["notebook.falsify"]);
    await writeFileAtomic(path, "new", { unchanged: readFileSync(path) });
    assert.equal(readFileSync(path, "utf8"), "new");
  });
});

const canMount = spawnSync("unshare", ["--mount", "true"]).status === 0;

describe("the repro on a full disk", () => {
  test("falsify fmt on a 32 KiB tmpfs: exit 1, the notebook's bytes unchanged, no temporary file", { skip: canMount ? false : "needs to mount a tmpfs (root); the injected writer above covers the logic" }, () => {
    const fixture = resolve("test/fixtures/format/full-disk.falsify");
    const mountPoint = folder("tmpfs");
    // A private mount namespace: the tmpfs disappears with the shell, whatever happens.
    const script = `set -e
mount -t tmpfs -o size=32k tmpfs "$1"
cp "$2" "$1/notebook.falsify"
set +e
node --import tsx src/cli/main.ts fmt "$1/notebook.falsify"
echo "exit=$?"
cmp -s "$2" "$1/notebook.falsify" && echo same-bytes
ls -A "$1"`;
    const run = spawnSync("unshare", ["--mount", "--propagation", "private", "sh", "-c", script, "sh", mountPoint, fixture], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /notebook\.falsify: not formatted: ENOSPC/);
    assert.deepEqual(run.stdout.trim().split("\n"), ["exit=1", "same-bytes", "notebook.falsify"]);
  });
});
