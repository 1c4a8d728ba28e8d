// The benchmark harness shared by every `*.bench.ts`: each figure is measured against a named
// baseline in the same run, and reported as a ratio, so the numbers mean something on any machine.
//
// A bench file exports `benchmarks: Benchmark[]`. Each benchmark measures its subject and its
// baseline (another implementation, a naive loop, a Python/TensorFlow/Jupyter reference run as a
// child process...) and returns both figures in the same unit; the harness prints one table.

export interface Figure {
  /** What was measured, e.g. "falsify kernel round trip (median)". */
  name: string;
  value: number;
  unit: "ms" | "MB" | "ops/s";
}

export interface Measurement {
  subject: Figure;
  baseline: Figure;
  /** The target, as a human reads it, e.g. "≤ 1.2x" or "≥ 5x faster"; informational. */
  target?: string;
  /** Anything worth a footnote (backend, sizes, n). */
  note?: string;
}

export interface Benchmark {
  /** Short id shown in the table, e.g. "kernel.roundtrip". */
  id: string;
  run: () => Promise<Measurement | Measurement[]>;
}

/** Median wall time of `fn` over `runs` runs after `warmup` runs, in milliseconds. */
export async function medianMs(fn: () => unknown, runs = 20, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  return times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
}

/** subject/baseline for times and sizes (lower is better), baseline/subject for rates. */
export function ratio(m: Measurement): number {
  return m.subject.unit === "ops/s" ? m.baseline.value / m.subject.value : m.subject.value / m.baseline.value;
}

/**
 * Median times of `a` and `b`, run alternately in turned order (a, b, b, a, a, b, ...) after one
 * warm-up each, so a change in machine load, or what one leaves behind for the next, hits both alike.
 */
export async function interleavedMedians(a: () => Promise<unknown>, b: () => Promise<unknown>, runs: number): Promise<[number, number]> {
  await a();
  await b();
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < runs; i++) {
    for (const k of i % 2 ? [1, 0] : [0, 1]) {
      const fn = [a, b][k];
      const start = process.hrtime.bigint();
      await fn();
      times[k].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  const median = (t: number[]) => t.sort((x, y) => x - y)[t.length >> 1];
  return [median(times[0]), median(times[1])];
}
