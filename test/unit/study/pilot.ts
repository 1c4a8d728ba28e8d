// The small study the e2e takes in VS Code's webview ("Falsify: Take Study"). Its page and key are
// committed under test/fixtures/study/ (the e2e copies them into its workspace before VS Code opens,
// so Quick Open finds them); study.test.ts checks that they are what study() writes today.
import { study, type Study, type StudySpec } from "../../../src/core/study";

export const PILOT_FIXTURES = "test/fixtures/study";

export function pilotStudy(): Study {
  return study(pilotSpec());
}

/** 4 items, 3 choices, a control and a saliency condition, 2 participants. */
export function pilotSpec(): StudySpec {
  const choices = ["0", "1", "2"];
  return {
    id: "webview-pilot",
    title: "Pilot: predict the model",
    instructions: "Press the key of the digit the model answered.",
    choices,
    conditions: [{ id: "none" }, { id: "saliency" }],
    items: Array.from({ length: 4 }, (_, i) => ({
      id: `item${i}`,
      stimuli: [{ values: [[i / 4, 1], [0, 0.5]], alt: `digit ${i + 1}` }],
      answer: choices[i % 3],
      explanations: { saliency: [{ values: [[-1, 1], [0.5, 0]], alt: "saliency map", colormap: "diverging" as const }] },
    })),
    participants: 2,
    seed: 5,
  };
}
