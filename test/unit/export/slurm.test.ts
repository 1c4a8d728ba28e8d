// The README's Slurm array, run on a real (one-node) Slurm cluster: this test starts munged,
// slurmctld and slurmd from Debian's slurm-wlm and munge in a temporary folder (its own ports, key
// and state; proctrack/linuxproc, no cgroups, no accounting), submits the README's job script and
// merge job as written there (4 shards of the bundled sweep fixture), waits for the merge, compares
// the merged results with a one-process run of the same script, and tears the cluster down.
//
// It proves the job script, sharding by $SLURM_ARRAY_TASK_ID, the afterok dependency and the merge.
// It does not prove anything multi-node: scheduling across machines, a shared file system, node-local
// paths. CI installs slurm-wlm and munge (.ci/run) and always runs it; elsewhere it is skipped, with
// the reason, when they are absent or the test is not run as root.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { createServer } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { parseResults, type MergedResults, type RunResults } from "../../../src/core/export";

const DAEMONS = ["munged", "slurmctld", "slurmd", "sbatch", "scontrol", "sinfo"];
const installed = DAEMONS.every((name) => spawnSync("sh", ["-c", `command -v ${name} || test -x /usr/sbin/${name}`]).status === 0);
// In CI it always runs (and fails when the cluster cannot start); elsewhere it says why it cannot.
const cannot = !installed
  ? "slurm-wlm and munge are not installed (npm run setup:slurm, as root)"
  : process.getuid?.() !== 0
    ? "slurmd runs the jobs as root here (SlurmdUser=root): run as root"
    : false;
const skip = process.env.CI ? false : cannot;

const root = mkdtempSync(join(tmpdir(), "falsify-slurm-"));
const work = join(root, "work");
const conf = join(root, "slurm.conf");
const env = { ...process.env, SLURM_CONF: conf, PATH: `${process.env.PATH}:/usr/sbin` };

function sh(command: string, args: string[], cwd = work) {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", timeout: 120_000 });
  assert.equal(result.status, 0, `${command} ${args.join(" ")}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** Polls `check` every 500 ms until it returns a value (conditions, not sleeps). */
async function waitFor<T>(check: () => T | undefined, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 500));
  }
}

async function startCluster(): Promise<void> {
  for (const dir of ["munge", "state", "spool", "log", "work"]) mkdirSync(join(root, dir), { recursive: true });
  const munge = join(root, "munge");
  chmodSync(munge, 0o711);
  writeFileSync(join(munge, "munge.key"), randomBytes(1024), { mode: 0o400 });
  const socket = join(munge, "munge.socket");
  // munged refuses to run as root without --force; jobs run as this user too.
  sh("munged", ["--force", `--key-file=${join(munge, "munge.key")}`, `--socket=${socket}`, `--pid-file=${join(munge, "munged.pid")}`, `--log-file=${join(munge, "munged.log")}`, `--seed-file=${join(munge, "munged.seed")}`], root);
  const node = hostname().split(".")[0];
  const [controller, daemon] = [await freePort(), await freePort()];
  writeFileSync(
    conf,
    [
      "ClusterName=falsifytest",
      `SlurmctldHost=${node}(127.0.0.1)`,
      `SlurmctldPort=${controller}`,
      `SlurmdPort=${daemon}`,
      "AuthType=auth/munge",
      "CredType=cred/munge",
      `AuthInfo=socket=${socket}`,
      "SlurmUser=root",
      "SlurmdUser=root",
      `StateSaveLocation=${join(root, "state")}`,
      `SlurmdSpoolDir=${join(root, "spool")}`,
      `SlurmctldPidFile=${join(root, "slurmctld.pid")}`,
      `SlurmdPidFile=${join(root, "slurmd.pid")}`,
      `SlurmctldLogFile=${join(root, "log", "slurmctld.log")}`,
      `SlurmdLogFile=${join(root, "log", "slurmd.log")}`,
      "ProctrackType=proctrack/linuxproc",
      "TaskPlugin=task/none",
      "JobAcctGatherType=jobacct_gather/none",
      "AccountingStorageType=accounting_storage/none",
      "JobCompType=jobcomp/none",
      "SelectType=select/cons_tres",
      "SelectTypeParameters=CR_CPU",
      "MpiDefault=none",
      "ReturnToService=2",
      `NodeName=${node} NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN`,
      "PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP",
      "",
    ].join("\n"),
  );
  sh("slurmctld", ["-i", "-f", conf], root);
  sh("slurmd", ["-f", conf], root);
  await waitFor(() => (/^idle/.test(sh("sinfo", ["-h", "-o", "%T"]).trim()) ? true : undefined), 60_000, "the node to be idle");
}

/** Running, not a zombie: /proc/<pid>/stat's state field. */
function alive(pid: number): boolean {
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, "utf8") : "";
  return stat !== "" && stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
}

async function stopCluster(): Promise<void> {
  const pids = ["slurmd.pid", "slurmctld.pid", join("munge", "munged.pid")].flatMap((file) => {
    const path = join(root, file);
    return existsSync(path) ? [Number(readFileSync(path, "utf8").trim())] : [];
  });
  if (existsSync(conf)) spawnSync("scontrol", ["shutdown"], { env, timeout: 30_000 });
  // munged does not stop with the controller; anything else that did not, by the pid it wrote.
  for (const pid of pids) {
    if (!alive(pid)) continue;
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // gone meanwhile
    }
  }
  await waitFor(() => (pids.some(alive) ? undefined : true), 30_000, "slurmctld, slurmd and munged to exit");
}

/** The README's two Slurm blocks: the job script and the submission, as written there. */
function readmeBlocks(): { jobScript: string; submit: string } {
  const section = readFileSync("README.md", "utf8").split("Slurm array:")[1] ?? "";
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]);
  assert.ok(blocks.length >= 2, "the README's Slurm section has a job script and a submission block");
  return { jobScript: blocks[0], submit: blocks[1] };
}

/** `text` with each [from, to] replaced, each `from` required to occur exactly as many times as given. */
function adapt(text: string, replacements: [string, string, number][]): string {
  for (const [from, to, times] of replacements) {
    assert.equal(text.split(from).length - 1, times, `the README block uses ${JSON.stringify(from)} ${times} time(s)`);
    text = text.split(from).join(to);
  }
  return text;
}

let cli: string;
before(async () => {
  if (skip) return;
  // The CLI and the runtime a bundled export embeds, as esbuild.js builds them.
  const dist = join(root, "dist");
  const build = spawnSync(process.execPath, ["esbuild.js", "--only", "cli,standalone", "--outdir", dist], { encoding: "utf8" });
  assert.equal(build.status, 0, build.stderr);
  cli = join(dist, "cli.js");
  await startCluster();
});
after(async () => {
  if (!skip) await stopCluster();
  rmSync(root, { recursive: true, force: true });
});

test("the README's Slurm array (4 shards) and its dependent merge equal a one-process run", { skip }, async () => {
  copyFileSync(resolve("test/fixtures/export/sweep.falsify"), join(work, "sweep.falsify"));
  sh(process.execPath, [cli, "export", "sweep.falsify", "--bundle", "-o", "sweep.mjs"]);
  const { jobScript, submit } = readmeBlocks();
  writeFileSync(
    join(work, "shards.sh"),
    adapt(jobScript, [
      ["0-15", "0-3", 1],
      ["/16", "/4", 1],
      ["ablation.mjs", "sweep.mjs", 1],
    ]),
  );
  const submission = adapt(submit, [["npx falsify", `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)}`, 1]]);
  const submitted = sh("sh", ["-e", "-c", submission]);
  const mergeJob = /Submitted batch job (\d+)/.exec(submitted)?.[1];
  assert.ok(mergeJob, submitted);

  const state = await waitFor(
    () => {
      const job = sh("scontrol", ["show", "job", mergeJob]);
      const word = /JobState=(\w+)/.exec(job)?.[1];
      return word && !["PENDING", "RUNNING", "CONFIGURING", "COMPLETING"].includes(word) ? word : undefined;
    },
    240_000,
    `merge job ${mergeJob} to end`,
  );
  const logs = () => sh("sh", ["-c", "cat slurm-*.out 2>/dev/null || true"]);
  assert.equal(state, "COMPLETED", logs());

  const merged = parseResults(readFileSync(join(work, "merged.json"), "utf8"));
  assert.ok(merged.ok && merged.results.kind === "merged", logs());
  const results = merged.results as MergedResults;
  assert.deepEqual(results.runs.map((run) => run.shard?.index), [0, 1, 2, 3], "one run per array task");

  sh(process.execPath, ["sweep.mjs", "--out", "whole.json"]);
  const whole = parseResults(readFileSync(join(work, "whole.json"), "utf8"));
  assert.ok(whole.ok);
  const one = (whole.results as RunResults).metrics;
  const byItem = (metrics: { name: string; value: unknown }[]) =>
    metrics.filter((m) => m.name === "square").map((m) => m.value as { k: number }).sort((a, b) => a.k - b.k);
  assert.deepEqual(byItem(results.metrics), byItem(one), "every item exactly once, with the one-process values");
  const noise = one.find((m) => m.name === "noise")?.value;
  assert.deepEqual(
    results.metrics.filter((m) => m.name === "noise").map((m) => m.value),
    [noise, noise, noise, noise],
    "each shard starts from the notebook seed, as the one-process run does",
  );
});
