// Degenerate controls: a randomised model whose output no longer depends on its input (re-initialised
// weights can switch a whole layer off) gives all-zero maps, and a constant map has no rank
// correlation. Such a control says nothing about the method; it must be reported as such, never
// averaged away as "n = 0" (Adebayo et al.'s check is only as good as its randomised models).

/** What a map is: `ok`, or degenerate (`zero` everywhere, one `constant` value, `non-finite` values). */
export type MapStatus = "ok" | "zero" | "constant" | "non-finite";

export type DegenerateReason = "constant-output" | "zero-maps" | "constant-maps" | "non-finite-maps";

/** Why a control (or the method itself, `control: "method"`) gave no usable similarity for some examples. */
export interface Degeneracy {
  /** The control's id, or "method" when the trained model's own maps are degenerate. */
  control: string;
  reason: DegenerateReason;
  /** Examples whose similarity is undefined because of it. */
  examples: number[];
  /** One sentence for a reader. */
  message: string;
}

export function mapStatus(map: ArrayLike<ArrayLike<number>>): MapStatus {
  let first: number | undefined;
  let constant = true;
  for (let r = 0; r < map.length; r++) {
    const row = map[r];
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      if (!Number.isFinite(v)) return "non-finite";
      if (first === undefined) first = v;
      else if (v !== first) constant = false;
    }
  }
  if (!constant) return "ok";
  return first === 0 ? "zero" : "constant";
}

/**
 * Whether a model's target scores are one value for every example (n ≥ 2): its output no longer
 * depends on the input, so every gradient map of it is zero.
 */
export function constantScores(scores: ArrayLike<number>): boolean {
  if (scores.length < 2) return false;
  const first = scores[0];
  const tolerance = 1e-6 * Math.max(1, Math.abs(first));
  for (let i = 1; i < scores.length; i++) if (!(Math.abs(scores[i] - first) <= tolerance)) return false;
  return true;
}

/**
 * The degeneracy of a control from its maps' statuses and whether its model's output was constant;
 * undefined when every map is usable.
 */
export function degeneracy(control: string, label: string, statuses: readonly MapStatus[], outputConstant: boolean): Degeneracy | undefined {
  const examples = statuses.flatMap((status, i) => (status === "ok" ? [] : [i]));
  if (!examples.length) return undefined;
  const count = (status: MapStatus) => statuses.filter((s) => s === status).length;
  const of = `${examples.length} of ${statuses.length}`;
  const reason: DegenerateReason = outputConstant ? "constant-output" : count("non-finite") ? "non-finite-maps" : count("zero") ? "zero-maps" : "constant-maps";
  const what: Record<DegenerateReason, string> = {
    "constant-output": `its model's output is the same for every input, so ${of} maps are ${count("zero") === examples.length ? "all zero" : "constant"}`,
    "zero-maps": `${of} maps are all zero`,
    "constant-maps": `${of} maps are constant`,
    "non-finite-maps": `${of} maps hold NaN or infinite values`,
  };
  const subject = control === "method" ? "the method on the trained model" : label;
  return { control, reason, examples, message: `${subject} is degenerate: ${what[reason]}; its similarities are undefined (NaN) for those examples, not evidence either way.` };
}
