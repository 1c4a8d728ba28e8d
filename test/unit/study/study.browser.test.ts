// The participants' HTML study in a real browser (Debian's chromium through playwright-core, as the
// renderer's browser test): taken with the keyboard alone under its own Content Security Policy,
// with no request leaving the file and no CSP violation; the saved answers file scores with
// analyzeStudy; and axe-core finds no accessibility violation (WCAG 2.1 A/AA) on any of its screens.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { analyzeStudy, study, type Study } from "../../../src/core/study";
import { studyHtml } from "../../../src/core/study/html";
import { pilotSpec } from "./pilot";

const CHROMIUM = process.env.FALSIFY_CHROMIUM ?? "/usr/bin/chromium";
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** The e2e's pilot study with a participant field (its answer must reach the file). */
function toyStudy(): Study {
  return study({ ...pilotSpec(), id: "browser-toy", fields: [{ id: "experience", label: "Years of machine-learning experience (optional)" }] });
}

describe("the HTML study in Chromium", { skip: existsSync(CHROMIUM) ? false : `no chromium at ${CHROMIUM} (set FALSIFY_CHROMIUM, as for the e2e harness)` }, () => {
  let dir: string;
  let browser: Browser;
  let url: string;
  const s = toyStudy();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "falsify-study-"));
    const file = join(dir, "study.html");
    writeFileSync(file, studyHtml(s.page));
    url = pathToFileURL(file).href;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  });

  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** axe-core's violations on the current screen (evaluated through the DevTools protocol, which the page's CSP does not govern). */
  async function violations(page: Page): Promise<string[]> {
    await page.evaluate(AXE);
    const result = await page.evaluate(async () => (window as any).axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }));
    return result.violations.map((v: { id: string; nodes: { target: string[] }[] }) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }

  test("taken with the keyboard alone, offline, under its own CSP, with no axe-core violation on any screen; the saved file scores with analyzeStudy", async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const requests: string[] = [], problems: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(url);
    assert.deepEqual(await violations(page), [], "start screen");
    await page.keyboard.type("p02");
    await page.keyboard.press("Tab");
    await page.keyboard.type("3");
    await page.keyboard.press("Enter");
    const answerOf = new Map(s.key.items.map((i) => [i.id, i.answer]));
    const trials = s.key.sessions[1].trials;
    const firstExplained = trials.findIndex((t) => t.condition === "saliency");
    for (const [k, trial] of trials.entries()) {
      await page.getByRole("heading", { name: `Trial ${k + 1} of 4` }).waitFor();
      assert.equal(await page.getByRole("img", { name: /saliency map/ }).count(), trial.condition === "saliency" ? 1 : 0);
      if (k === firstExplained) assert.deepEqual(await violations(page), [], "trial screen with an explanation");
      // Right on even trials, wrong on odd ones.
      const right = answerOf.get(trial.item)!;
      await page.keyboard.press(k % 2 === 0 ? right : right === "0" ? "1" : "0");
    }
    await page.getByRole("heading", { name: "Thank you" }).waitFor();
    assert.deepEqual(await violations(page), [], "end screen");
    const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("s")]);
    assert.equal(download.suggestedFilename(), "browser-toy-P02.json");
    const answers = JSON.parse(readFileSync(await download.path(), "utf8"));
    assert.deepEqual(answers.fields, { experience: "3" });
    assert.equal(answers.participant, "P02");
    assert.deepEqual(answers.answers.map((a: { trial: string }) => a.trial), trials.map((t) => t.token));
    const analysis = analyzeStudy([answers], s);
    assert.equal(analysis.conditions.reduce((sum, c) => sum + c.correct, 0), 2);
    assert.deepEqual(analysis.comparisons, []);
    assert.match(analysis.notes[0], /1 participant\(s\) answered both/);
    assert.deepEqual(requests, [url], "the page loads nothing but itself");
    assert.deepEqual(problems, [], "no script error or CSP violation");
    await context.close();
  });
});
