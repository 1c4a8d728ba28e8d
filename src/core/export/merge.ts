// Combining the results of independent jobs (shards of one run, or the seeds of a sweep) into one
// file for the statistics. The output does not depend on the order the files were given in: runs
// are sorted by seed, then shard index, and their verdicts and metrics concatenated in that order,
// each tagged with the run it came from.
import { RESULTS_FORMAT, RESULTS_VERSION, type MergedResults, type Origin, type Results, type RunResults } from "./results";

export interface MergeOptions {
  /** Allow different seeds (a sweep); without it every file must have the same seed. */
  sweep?: boolean;
}

export type MergeErrorKind = "empty" | "mixed-notebooks" | "mixed-seeds" | "shard-count" | "duplicate-shard" | "missing-shard" | "inconsistent";

export interface MergeError {
  kind: MergeErrorKind;
  message: string;
}

/** `sources[i]` names `inputs[i]` in error messages (a file name). */
export function mergeResults(
  inputs: readonly Results[],
  sources: readonly string[],
  options: MergeOptions = {},
): { ok: true; merged: MergedResults } | { ok: false; error: MergeError } {
  const name = (i: number) => sources[i] ?? `input ${i + 1}`;
  for (const [i, input] of inputs.entries()) {
    const orphan = input.kind === "merged" ? unlistedOrigin(input) : undefined;
    if (orphan) return fail("inconsistent", `${name(i)}: ${orphan}: a merged file's verdicts and metrics must come from the runs it lists`);
  }
  const runs = inputs.flatMap((input, i) => asRuns(input).map((run) => ({ ...run, source: name(i) })));
  if (!runs.length) return fail("empty", "nothing to merge: name at least one results file");

  const notebook = runs[0].notebook;
  const other = runs.find((run) => run.notebook !== notebook);
  if (other) return fail("mixed-notebooks", `${other.source} is from notebook ${other.notebook}, ${runs[0].source} from ${notebook}: merge results of one notebook at a time`);
  const seeds = [...new Set(runs.map((run) => run.seed))].sort((a, b) => a - b);
  if (seeds.length > 1 && !options.sweep) {
    return fail("mixed-seeds", `the files have different seeds (${seeds.join(", ")}): pass --sweep to combine the runs of a sweep over seeds`);
  }

  for (const seed of seeds) {
    const error = checkShards(runs.filter((run) => run.seed === seed));
    if (error) return { ok: false, error };
  }

  runs.sort((a, b) => a.seed - b.seed || (a.shard?.index ?? -1) - (b.shard?.index ?? -1));
  const merged: MergedResults = { format: RESULTS_FORMAT, version: RESULTS_VERSION, kind: "merged", notebook, runs: [], verdicts: [], metrics: [] };
  for (const run of runs) {
    const origin: Origin = run.shard ? { seed: run.seed, shard: run.shard } : { seed: run.seed };
    merged.runs.push(origin);
    for (const verdict of run.verdicts) merged.verdicts.push({ ...verdict, ...origin });
    for (const metric of run.metrics) merged.metrics.push({ ...metric, ...origin });
  }
  return { ok: true, merged };
}

/** The runs of one seed must be either one unsharded run or all n shards of one --shard i/n split. */
function checkShards(runs: (RunResults & { source: string })[]): MergeError | undefined {
  const seed = runs[0].seed;
  const unsharded = runs.filter((run) => !run.shard);
  if (unsharded.length && (unsharded.length > 1 || runs.length > 1)) {
    const [a, b] = unsharded.length > 1 ? unsharded : [unsharded[0], runs.find((run) => run.shard)!];
    return { kind: "duplicate-shard", message: `${a.source} and ${b.source} both ran seed ${seed} (an unsharded run covers all of it)` };
  }
  if (unsharded.length) return undefined;
  const count = runs[0].shard!.count;
  const wrong = runs.find((run) => run.shard!.count !== count);
  if (wrong) return { kind: "shard-count", message: `${wrong.source} is shard ${wrong.shard!.index}/${wrong.shard!.count} but ${runs[0].source} split seed ${seed} into ${count}` };
  const byIndex = new Map<number, string>();
  for (const run of runs) {
    const earlier = byIndex.get(run.shard!.index);
    if (earlier) return { kind: "duplicate-shard", message: `${earlier} and ${run.source} are both shard ${run.shard!.index}/${count} of seed ${seed}` };
    byIndex.set(run.shard!.index, run.source);
  }
  // The count is data from a file: the missing shards are counted, and only a few are named (a count
  // of 10^9 must not make a list of 10^9).
  const missing = count - byIndex.size;
  if (missing > 0) {
    const named: number[] = [];
    for (let i = 0; named.length < 5 && i < count; i++) if (!byIndex.has(i)) named.push(i);
    const list = named.map((i) => `${i}/${count}`).join(", ");
    const more = missing > named.length ? ` and ${missing - named.length} more` : "";
    return { kind: "missing-shard", message: `seed ${seed} is missing ${missing} shard${missing > 1 ? "s" : ""} (${list}${more}) of the ${count} it was split into; ${runs.length} file${runs.length > 1 ? "s" : ""} given: every shard must have finished` };
  }
  return undefined;
}

/** The first verdict or metric of a merged file whose seed and shard none of its runs has, described. */
function unlistedOrigin(merged: MergedResults): string | undefined {
  const key = (origin: Origin) => `${origin.seed}/${origin.shard ? `${origin.shard.index}/${origin.shard.count}` : "-"}`;
  const listed = new Set(merged.runs.map(key));
  const where = (origin: Origin) => `seed ${origin.seed}${origin.shard ? `, shard ${origin.shard.index}/${origin.shard.count}` : ""}`;
  const verdict = merged.verdicts.findIndex((v) => !listed.has(key(v)));
  if (verdict >= 0) return `verdict ${verdict + 1} (${merged.verdicts[verdict].hypothesis}) has ${where(merged.verdicts[verdict])}, which none of its runs lists`;
  const metric = merged.metrics.findIndex((m) => !listed.has(key(m)));
  if (metric >= 0) return `metric ${metric + 1} (${merged.metrics[metric].name}) has ${where(merged.metrics[metric])}, which none of its runs lists`;
  return undefined;
}
/** A merged file merges again as the runs it is made of. */
function asRuns(results: Results): RunResults[] {
  if (results.kind === "run") return [results];
  return results.runs.map((origin) => {
    const same = (item: Origin) => item.seed === origin.seed && item.shard?.index === origin.shard?.index;
    const run: RunResults = {
      format: RESULTS_FORMAT,
      version: RESULTS_VERSION,
      kind: "run",
      notebook: results.notebook,
      seed: origin.seed,
      verdicts: results.verdicts.filter(same).map(({ seed: _seed, shard: _shard, ...verdict }) => verdict),
      metrics: results.metrics.filter(same).map(({ seed: _seed, shard: _shard, ...metric }) => metric),
    };
    if (origin.shard) run.shard = origin.shard;
    return run;
  });
}

function fail(kind: MergeErrorKind, message: string): { ok: false; error: MergeError } {
  return { ok: false, error: { kind, message } };
}
