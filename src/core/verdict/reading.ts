// What the verdicts on one hypothesis say together, as the Falsifiability panel shows them: one row
// per test (the latest verdict of each label), decided under the correction the hypothesis declares
// when it is tested more than once, and a combined reading that never hides a disagreement: three
// tests with two supported and one falsified read "mixed", not the last one's word.
import type { Verdict, VerdictWord } from "../display";
import type { PAdjustMethod } from "../stats/multiple-comparisons";
import { correctVerdicts } from "./corrections";

export interface HypothesisReading {
  /** The latest verdict of each test (by label; unlabelled verdicts are one test), in first-seen order. */
  tests: Verdict[];
  /** The word of every test when they agree, else "mixed"; undefined when nothing was decided yet. */
  overall?: VerdictWord | "mixed";
  /** "supported", or "2 supported, 1 falsified of 3 tests (holm-adjusted)". */
  summary: string;
}

/**
 * `verdicts`: the hypothesis' verdicts, oldest first. `correction`: the hypothesis' declared
 * `test.correction`. Several tests are corrected together under it (from their raw p, so verdicts a
 * cell already corrected read the same); without one (or with `none`) the summary says they are not.
 */
export function readVerdicts(verdicts: readonly Verdict[], correction?: PAdjustMethod | "none"): HypothesisReading {
  const latest = new Map<string, Verdict>();
  for (const verdict of verdicts) {
    latest.set(verdict.label ?? "", verdict); // a re-run test keeps its row, with its newest verdict
  }
  const found = [...latest.values()];
  if (!found.length) return { tests: [], summary: "none yet" };
  const tests = found.length > 1 && correction && correction !== "none" ? corrected(found, correction) : found;
  const words = new Set(tests.map((test) => test.verdict));
  const overall = words.size === 1 ? tests[0].verdict : "mixed";
  if (tests.length === 1) return { tests, overall, summary: tests[0].verdict };
  const counts = (["supported", "falsified", "inconclusive"] as const)
    .map((word) => [word, tests.filter((test) => test.verdict === word).length] as const)
    .filter(([, count]) => count > 0)
    .map(([word, count]) => `${count} ${word}`);
  const how = correction === "none" ? "uncorrected, as declared" : correction ? `${correction}-adjusted` : "no correction declared";
  return { tests, overall, summary: `${counts.join(", ")} of ${tests.length} tests (${how})` };
}

/**
 * Corrects the tests with a p-value; a test without one (undefined values, no test run) stays as it
 * is, and so does one whose p is no probability (a hand-edited file: the panel must still show it).
 */
function corrected(tests: Verdict[], method: PAdjustMethod): Verdict[] {
  const family = tests.filter((test) => typeof test.p === "number" && test.p >= 0 && test.p <= 1);
  if (family.length < 2) return tests;
  const adjusted = correctVerdicts(family, method);
  return tests.map((test) => {
    const index = family.indexOf(test);
    return index < 0 ? test : adjusted[index];
  });
}
