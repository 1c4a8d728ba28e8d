// "Falsify: Take Study": a forward-prediction study written by writeStudy is taken in the VS Code
// webview with the keyboard, the answers are saved beside the study, and analyzeStudy scores them
// with the author's key: the participant's path and the author's, end to end in the real editor.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { Frame } from "playwright-core";
import { analyzeStudy } from "../../../src/core/study";
import { PILOT_FIXTURES, pilotStudy } from "../../unit/study/pilot";
import { waitFor, type Scenario } from "../harness";

export const scenario: Scenario = {
  name: "Take Study runs a study in a webview and its saved answers score with analyzeStudy",
  workspaceFiles: { "webview-pilot.html": `${PILOT_FIXTURES}/webview-pilot.html`, "webview-pilot.key.json": `${PILOT_FIXTURES}/webview-pilot.key.json` },
  async run({ page, path, readText, openFile, runCommand, screenshot }) {
    const pilot = pilotStudy();
    await openFile("webview-pilot.html");
    await runCommand("Falsify: Take Study");
    const frame = await waitFor(async () => {
      for (const f of page.frames()) if (await f.locator("input#code").count().catch(() => 0)) return f as Frame;
      return undefined;
    }, 30_000, "the study page in a webview");
    await frame.locator("input#code").click();
    await page.keyboard.type("P02");
    await page.keyboard.press("Enter");
    const answerOf = new Map(pilot.key.items.map((i) => [i.id, i.answer]));
    const trials = pilot.key.sessions[1].trials;
    for (const [k, trial] of trials.entries()) {
      await waitFor(() => frame.getByRole("heading", { name: `Trial ${k + 1} of ${trials.length}` }).count(), 20_000, `trial ${k + 1}`);
      if (k === 0) await screenshot("trial");
      // Right on the saliency trials, wrong on the others.
      const right = answerOf.get(trial.item)!;
      await page.keyboard.press(trial.condition === "saliency" ? right : right === "0" ? "1" : "0");
    }
    await waitFor(() => frame.getByRole("heading", { name: "Thank you" }).count(), 20_000, "the end screen");
    await page.keyboard.press("s");
    await waitFor(() => existsSync(path("answers-P02.json")), 20_000, "answers-P02.json beside the study");
    await waitFor(() => frame.getByText("Saved to answers-P02.json.").count(), 20_000, "the page to confirm the save");
    await screenshot("saved");
    const answers = JSON.parse(readText("answers-P02.json"));
    const analysis = analyzeStudy([answers], JSON.parse(readText("webview-pilot.key.json")));
    const accuracy = Object.fromEntries(analysis.conditions.map((c) => [c.id, c.accuracy]));
    assert.deepEqual(accuracy, { none: 0, saliency: 1 });
    assert.deepEqual(analysis.participants, ["P02"]);
  },
};
