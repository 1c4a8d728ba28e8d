// Every rule, in the order findings are reported. The first three ids are a contract with the
// docs, the CLI's JSON and users' settings: never rename them.
import type { Rule } from "../rule";
import { causalClaimCorrelationalEvidence } from "./causal-claim-correlational-evidence";
import { editedAfterResults } from "./edited-after-results";
import { existenceOnlyPrediction } from "./existence-only-prediction";
import { invalidHypothesis } from "./invalid-hypothesis";
import { singleExampleVisual } from "./single-example-visual";
import { staleOutput } from "./stale-output";
import { uncorrectedMultipleTests } from "./uncorrected-multiple-tests";
import { unfalsifiableHypothesis } from "./unfalsifiable-hypothesis";
import { unseededRandomness } from "./unseeded-randomness";
import { visualWithoutBaseline } from "./visual-without-baseline";
import { visualWithoutHypothesis } from "./visual-without-hypothesis";
import { visualWithoutQuantification } from "./visual-without-quantification";

export const RULES: readonly Rule[] = [
  visualWithoutHypothesis,
  visualWithoutBaseline,
  visualWithoutQuantification,
  invalidHypothesis,
  unfalsifiableHypothesis,
  existenceOnlyPrediction,
  causalClaimCorrelationalEvidence,
  singleExampleVisual,
  unseededRandomness,
  uncorrectedMultipleTests,
  editedAfterResults,
  staleOutput,
];
