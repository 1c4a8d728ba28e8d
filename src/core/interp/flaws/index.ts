// Flaws implanted with a known answer, and the scores that ask whether a method finds them.
export { type ImplantOptions, implantTrigger, loadTrigger, type PoisonedData, type Trigger, triggerMask } from "./trigger";
export {
  LOCALISATION_METRICS,
  localisation,
  type LocalisationComparison,
  type LocalisationMetric,
  type LocalisationOptions,
  type LocalisationResult,
  localisationScores,
  type LocalisationScores,
  type MapSet,
  type ScoreSummary,
} from "./localisation";
export { methodScoreboard, type Scoreboard, SCOREBOARD_METHODS, type ScoreboardEntry, type ScoreboardOptions, type ScoreboardRow } from "./scoreboard";
