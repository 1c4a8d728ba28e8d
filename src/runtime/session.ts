// The session: what a notebook run and an exported script share so their results agree byte for
// byte. ONE module, used by the kernel process, by `falsify run` (which rebuilds results from the
// kernel's display events) and by exported scripts (src/runtime/script.ts):
//
//   begin({notebook, seed, shard})  seeds the run: `rng` and Math.random (hence tfjs' unseeded random
//                                   ops and weight initialisers) from the notebook seed, and clears
//                                   what was recorded
//   hypotheses                      the registry of hypothesis cells: hypotheses.get("H1")
//   record(name, value)             a metric; shown through the host's display as MIME.metric
//   observe(value, mime?)           every displayed value goes through here: Verdicts and metrics
//                                   are collected, in display order
//   results() / serializedResults() the results JSON (src/core/export/results.ts), canonical bytes
//
// The session is a process-wide singleton kept on globalThis under a registered symbol, so that the
// kernel bundle, the runtime bundle a cell imports as "falsify" and a script's runtime all find the
// same one even when they are separate copies of this code.
import { MIME, isVerdict, type Verdict } from "../core/display";
import { canonicalJson, DEFAULT_SEED, RESULTS_FORMAT, RESULTS_VERSION, serializeResults, shardItems, type Metric, type RunResults, type Shard } from "../core/export/results";
import { parseHypothesis, rawHypothesisId, type Hypothesis, type HypothesisError } from "../core/hypothesis";
import { createRng, type Rng } from "../core/stats/rng";

export interface SessionStart {
  /** Base name of the notebook file: results name it. */
  notebook?: string;
  seed?: number;
  shard?: Shard;
}

/** Where the session shows things: the kernel's display (an output of the running cell) or a script's. */
export interface SessionHost {
  display(value: unknown, mime?: string): void;
}

export class Session {
  readonly hypotheses = new HypothesisRegistry();
  notebook = "";
  seed = DEFAULT_SEED;
  shard: Shard | undefined;
  /** The run's random stream, seeded from the notebook seed: cells see it as `rng`. */
  rng: Rng = createRng(DEFAULT_SEED);
  host: SessionHost | undefined;
  private verdicts: Verdict[] = [];
  private metrics: Metric[] = [];

  /**
   * Starts a run (run-all in the kernel, the whole script): seeds and forgets what was recorded.
   * Math.random is replaced by a fork of the seeded stream: tfjs draws unseeded random numbers
   * (initialisers, dropout, tf.random* without a seed) from Math.random of the process.
   */
  begin(start: SessionStart = {}): void {
    this.notebook = start.notebook ?? this.notebook;
    this.seed = start.seed ?? DEFAULT_SEED;
    this.shard = start.shard;
    this.rng = createRng(this.seed);
    const mathStream = this.rng.fork("Math.random");
    Math.random = () => mathStream.next();
    this.verdicts = [];
    this.metrics = [];
  }

  /** Records a metric (tensors become nested arrays) and shows it through the host. */
  record(name: string, value: unknown): void {
    if (typeof name !== "string" || !name) throw new TypeError("record(name, value): name must be a non-empty string");
    const metric: Metric = { name, value: canonicalJson(value) ?? null };
    if (this.host) this.host.display(metric, MIME.metric);
    else this.observe(metric, MIME.metric);
  }

  /** Hosts pass every displayed value here (with its MIME type when the display call gave one). */
  observe(value: unknown, mime?: string): void {
    if (mime === MIME.metric && isMetric(value)) this.metrics.push({ name: value.name, value: value.value });
    else if ((mime === undefined || mime === MIME.verdict) && isVerdict(value)) this.verdicts.push(value);
  }

  /** The items of this shard of a list (all of it outside a sharded script run). */
  shardOf<T>(items: readonly T[]): T[] {
    return shardItems(items, this.shard);
  }

  results(): RunResults {
    const results: RunResults = {
      format: RESULTS_FORMAT,
      version: RESULTS_VERSION,
      kind: "run",
      notebook: this.notebook,
      seed: this.seed,
      verdicts: this.verdicts,
      metrics: this.metrics,
    };
    if (this.shard) results.shard = this.shard;
    return results;
  }

  serializedResults(): string {
    return serializeResults(this.results());
  }
}

/** Hypothesis cells by id, as the kernel ran them (or a script embedded them). */
export class HypothesisRegistry {
  private byCell = new Map<string, { id?: string; hypothesis?: Hypothesis; errors: HypothesisError[] }>();

  /** Registers (or replaces) a hypothesis cell from its YAML source; returns its parse errors. */
  define(cellId: string, source: string): HypothesisError[] {
    const parsed = parseHypothesis(source);
    this.byCell.set(cellId, { id: rawHypothesisId(parsed), hypothesis: parsed.hypothesis, errors: parsed.errors });
    return parsed.errors;
  }

  /** Registers an already parsed hypothesis (an exported script embeds them as data). */
  add(cellId: string, hypothesis: Hypothesis): void {
    this.byCell.set(cellId, { id: hypothesis.id, hypothesis, errors: [] });
  }

  has(id: string): boolean {
    return [...this.byCell.values()].some((entry) => entry.id === id && entry.hypothesis);
  }

  /** The hypothesis with this id; throws, saying what exists, when there is none or it does not parse. */
  get(id: string): Hypothesis {
    const entries = [...this.byCell.values()].filter((entry) => entry.id === id);
    const valid = entries.find((entry) => entry.hypothesis)?.hypothesis;
    if (valid) return valid;
    if (entries.length) {
      throw new Error(`hypothesis ${id} does not parse: ${entries[0].errors.map((error) => error.message).join("; ")}`);
    }
    const known = this.ids();
    throw new Error(`no hypothesis cell has id ${id}${known.length ? ` (known: ${known.join(", ")})` : " (run its hypothesis cell first)"}`);
  }

  ids(): string[] {
    return [...new Set([...this.byCell.values()].flatMap((entry) => (entry.hypothesis ? [entry.hypothesis.id] : [])))].sort();
  }

  clear(): void {
    this.byCell.clear();
  }
}

const KEY = Symbol.for("falsify.session");

/** The process's session (created on first use). */
export function currentSession(): Session {
  const holder = globalThis as unknown as Record<symbol, Session | undefined>;
  return (holder[KEY] ??= new Session());
}

/** Records a metric in the current run's results: `record("accuracy", acc)`. */
export function record(name: string, value: unknown): void {
  currentSession().record(name, value);
}

/** The items of this shard (`--shard i/n` of an exported script); all items in the notebook. */
export function shardOf<T>(items: readonly T[]): T[] {
  return currentSession().shardOf(items);
}

function isMetric(value: unknown): value is Metric {
  return typeof value === "object" && value !== null && typeof (value as Metric).name === "string" && "value" in value;
}
