// Preregistration in the editor: a hypothesis edited after its result was recorded is flagged
// (edited-after-results); the quick fix asks for a reason and appends an amendment to the notebook's
// log, which clears the finding and is saved in the file, next to the original record. And a
// notebook whose hypothesis has a verdict but no record gets one: the hash of the hypothesis cell.
import assert from "node:assert/strict";
import { sourceHash } from "../../../src/core/hash";
import { waitFor, type Scenario } from "../harness";
import { applyQuickFix, problemTexts } from "./lint-ui";

const FILE = "preregistered.falsify";
const UNREGISTERED = "unregistered.falsify";
const REASON = "5 units: the layer has only 64 units";

export const scenario: Scenario = {
  name: "lint: record an amendment to a hypothesis edited after its results",
  workspaceFiles: { [FILE]: "test/fixtures/lint/edited-after-results.falsify", [UNREGISTERED]: "test/fixtures/lint/visual-without-quantification.falsify" },
  timeoutMs: 150_000,
  async run({ page, openFile, readText, screenshot }) {
    const before = JSON.parse(readText(FILE));
    await openFile(FILE);
    await page.keyboard.press("Control+Shift+M");
    await waitFor(async () => (await problemTexts(page)).some((t) => /H1 was edited after results were seen/.test(t)), 60_000, "the edited-after-results finding on H1");

    const row = page.locator(".notebook-editor").filter({ visible: true }).locator('.cell-list-container .monaco-list-row[data-index="0"]');
    await row.locator(".monaco-editor .view-lines").first().click();
    await waitFor(() => row.locator(".monaco-editor.focused").count(), 10_000, "H1's editor to take focus");
    await page.keyboard.press("Control+Home");
    await page.keyboard.press("ArrowRight");
    await applyQuickFix(page, "Record an amendment to H1");

    const input = page.locator(".quick-input-widget input.input");
    await waitFor(() => input.isVisible(), 10_000, "the input box asking for the amendment's reason");
    await input.fill(REASON);
    await screenshot("reason");
    await input.press("Enter");
    await waitFor(async () => !(await problemTexts(page)).some((t) => /H1 was edited after results were seen/.test(t)), 30_000, "the finding to clear once amended");

    await page.keyboard.press("Control+S");
    const saved = await waitFor(() => {
      const file = JSON.parse(readText(FILE));
      return file.metadata.preregistration.amendments.length === 2 ? file : undefined;
    }, 20_000, `${FILE} to be saved with a second amendment`);
    const [kept, added] = saved.metadata.preregistration.amendments;
    assert.deepEqual(kept, before.metadata.preregistration.amendments[0], "the log is append-only");
    assert.deepEqual(saved.metadata.preregistration.records, before.metadata.preregistration.records, "the original records stay");
    const h1 = saved.cells[0].source.join("");
    assert.equal(added.hypothesis, "H1");
    assert.equal(added.reason, REASON);
    assert.equal(added.from, before.metadata.preregistration.records.H1.hash);
    assert.equal(added.to, sourceHash(h1), "the amendment registers the hypothesis as it is now");
    await screenshot("amended");

    // H2 of this notebook has a verdict in its outputs and no record: opening it registers H2.
    const unregistered = JSON.parse(readText(UNREGISTERED));
    assert.equal(unregistered.metadata.preregistration, undefined);
    await openFile(UNREGISTERED);
    await waitFor(() => page.locator(".tabs-container .tab.active.dirty").count(), 30_000, `${UNREGISTERED} to be changed by the registration`);
    await page.keyboard.press("Control+S");
    const registered = await waitFor(() => JSON.parse(readText(UNREGISTERED)).metadata.preregistration, 20_000, `${UNREGISTERED} to be saved with its record`);
    const h2 = unregistered.cells.find((c: { id: string }) => c.id === "h2");
    assert.deepEqual(Object.keys(registered.records), ["H2"], "only the hypothesis with a verdict is registered");
    assert.equal(registered.records.H2.hash, sourceHash(h2.source.join("")));
    assert.equal(registered.records.H2.cellId, "h2");
  },
};
