// Several tests of one hypothesis (several layers, models, metrics): correct their p-values together
// and decide each again, so that testing more things does not make "supported" easier to reach.
import type { Verdict } from "../display";
import { adjustPValues, type PAdjustMethod } from "../stats/multiple-comparisons";
import { decide } from "./verdict";

/**
 * Adjusts the p-values of `verdicts` (default Benjamini–Hochberg) and re-decides each one. The
 * family is one hypothesis: verdicts are corrected together with the others of the same
 * `hypothesis` id, in the order given. Each result carries the adjusted `p` and a `correction`
 * record with the raw p. Only the significance part of the decision changes: the effect's CI,
 * hence "falsified", is not adjusted. Verdicts already corrected are corrected from their raw p.
 */
export function correctVerdicts(verdicts: readonly Verdict[], method: PAdjustMethod = "bh"): Verdict[] {
  const families = new Map<string, number[]>();
  // A verdict on undefined values ran no test: it has no p to adjust and is not one of the family's tests.
  verdicts.forEach((v, i) => {
    if (!v.undefinedValues) families.set(v.hypothesis, [...(families.get(v.hypothesis) ?? []), i]);
  });
  const out = verdicts.slice();
  for (const members of families.values()) {
    const raw = members.map((i) => verdicts[i].correction?.rawP ?? verdicts[i].p);
    const adjusted = adjustPValues(raw, method);
    members.forEach((i, k) => {
      const corrected: Verdict = { ...verdicts[i], p: adjusted[k], correction: { method, rawP: raw[k], tests: members.length } };
      const { verdict, reason } = decide(corrected);
      out[i] = { ...corrected, verdict, reason: `${reason} (p ${method}-adjusted over ${members.length} tests of ${corrected.hypothesis}; raw p = ${raw[k].toPrecision(2)})` };
    });
  }
  return out;
}
