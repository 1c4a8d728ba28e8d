// The renderer bundle in a real browser page whose Content Security Policy forbids eval, as the
// notebook webview does: charts draw (with the expression interpreter), follow the editor theme,
// broken specs show their error, verdicts become cards, untrusted workspaces get a notice.
// Needs Debian's chromium (the e2e setup installs it); skipped with a note without it.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { build } from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import { distributionView } from "../../../src/core/charts";
import { MIME } from "../../../src/core/display";
import { examples, verdict } from "./examples";

const CHROMIUM = process.env.FALSIFY_CHROMIUM ?? "/usr/bin/chromium";
const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'";

const available = existsSync(CHROMIUM);

describe("notebook renderer in a webview-like page", { skip: available ? false : `no chromium at ${CHROMIUM} (set FALSIFY_CHROMIUM, as for the e2e harness)` }, () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  let origin: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "falsify-renderer-"));
    await build({ entryPoints: ["src/renderer/index.ts"], bundle: true, format: "esm", platform: "browser", target: "es2022", outfile: join(dir, "renderer.js"), logLevel: "error" });
    const files: Record<string, [string, string]> = {
      "/renderer.js": [join(dir, "renderer.js"), "text/javascript"],
      "/harness.js": [join("test", "fixtures", "charts", "webview", "harness.js"), "text/javascript"],
    };
    server = createServer((request, response) => {
      const url = new URL(request.url ?? "/", "http://localhost");
      const file = files[url.pathname];
      if (file) {
        response.writeHead(200, { "content-type": file[1], "content-security-policy": CSP });
        response.end(readFileSync(file[0]));
        return;
      }
      const theme = url.searchParams.get("theme") ?? "vscode-light";
      response.writeHead(200, { "content-type": "text/html", "content-security-policy": CSP });
      response.end(`<!doctype html><html><head><script type="module" src="/harness.js"></script></head><body class="${theme}"></body></html>`);
    });
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  });

  after(async () => {
    await browser?.close();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(options: { theme?: string; foreground?: string; trusted?: boolean; messaging?: boolean } = {}): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${origin}/?theme=${options.theme ?? "vscode-light"}`);
    await page.waitForFunction(() => (window as unknown as { falsifyReady?: boolean }).falsifyReady === true);
    await page.evaluate(({ trusted, foreground, messaging }) => {
      if (foreground) document.body.style.setProperty("--vscode-editor-foreground", foreground);
      (window as any).falsify.activate(trusted, messaging);
    }, { trusted: options.trusted ?? true, foreground: options.foreground, messaging: options.messaging ?? false });
    return page;
  }

  const show = (page: Page, id: string, mime: string, value: unknown) => page.evaluate(([id, mime, value]) => (window as any).falsify.show(id, mime, value), [id, mime, value] as const);
  const marks = (page: Page, id: string, role: string) => page.locator(`#${id} svg.marks [aria-roledescription="${role}"]`).count();
  const axisLabelFill = (page: Page, id: string) => page.locator(`#${id} svg.marks .role-axis-label text`).first().getAttribute("fill");

  test("the page really forbids eval, and a heatmap still draws every cell with the interpreter", async () => {
    const page = await open();
    assert.equal(await page.evaluate(() => (window as any).falsify.evalIsBlocked()), true);
    await show(page, "heatmap", MIME.chart, examples["attribution-heatmap"]());
    assert.equal(await marks(page, "heatmap", "rect mark"), 24);
    assert.match((await page.locator("#heatmap .falsify-chart__caption").textContent()) ?? "", /hypothesis H1 · no baseline · no statistic/);
    await show(page, "curves", MIME.vegaLite, examples["ablation-curves"]());
    assert.equal(await marks(page, "curves", "point"), 5);
    assert.equal(await page.locator("#curves .falsify-chart__caption").count(), 0, "plain Vega-Lite gets no Falsify caption");
    // The probe's own `new Function` is the one refusal; the renderer never asked for eval.
    assert.deepEqual(await page.evaluate(() => (window as any).falsify.violations), ["script-src: eval "]);
    await page.close();
  });

  test("interactive: tooltips and wheel zoom on a heatmap, legend selection on curves", async () => {
    const page = await open();
    await show(page, "heatmap", MIME.chart, examples["attribution-heatmap"]());
    const cell = page.locator('#heatmap svg.marks [aria-roledescription="rect mark"]').last();
    await cell.hover();
    await page.locator("#vg-tooltip-element.visible").waitFor({ timeout: 5_000 });
    assert.match((await page.locator("#vg-tooltip-element").textContent()) ?? "", /attribution/);

    const before = (await cell.boundingBox())!;
    await page.mouse.move(before.x + before.width / 2, before.y + before.height / 2);
    await page.mouse.wheel(0, -400);
    await page.waitForFunction(([width]) => {
      const cells = document.querySelectorAll('#heatmap svg.marks [aria-roledescription="rect mark"]');
      return cells[cells.length - 1].getBoundingClientRect().width > width * 1.2;
    }, [before.width] as const);

    // Clicking a legend entry selects that series: the other series' points fade.
    for (const [id, example, entry] of [["curves", "ablation-curves", "random orders"], ["probe", "probe-accuracy", "control task"]]) {
      await show(page, id, MIME.chart, examples[example]());
      const faded = () => page.locator(`#${id} svg.marks [aria-roledescription="point"][opacity="0.2"]`).count();
      assert.equal(await faded(), 0, `${id}: nothing is faded before a selection`);
      await page.locator(`#${id} svg.marks .role-legend-label text`, { hasText: entry }).click({ force: true }); // Vega hit-tests clicks on its SVG itself
      await page.waitForFunction((id) => document.querySelectorAll(`#${id} svg.marks [aria-roledescription="point"][opacity="0.2"]`).length > 0, id);
    }
    await page.close();
  });

  test("charts take the editor's foreground in a dark theme, and redraw when the theme changes", async () => {
    const page = await open({ theme: "vscode-dark", foreground: "#d4d4d4" });
    await show(page, "cka", MIME.chart, examples["cka-matrix"]());
    await show(page, "card", MIME.verdict, verdict);
    assert.equal(await axisLabelFill(page, "cka"), "#d4d4d4");
    await page.evaluate(() => {
      document.body.style.setProperty("--vscode-editor-foreground", "#111111");
      document.body.className = "vscode-light";
    });
    await page.waitForFunction(() => document.querySelector("#cka svg.marks .role-axis-label text")?.getAttribute("fill") === "#111111");
    assert.equal(await page.locator("#cka svg.marks").count(), 1, "the redraw replaced the chart instead of adding one");
    assert.equal(await page.locator("#card article").count(), 1, "a redrawn verdict card stays (the old output's disposal must not clear the new one)");
    await page.close();
  });

  test("a spec with its own config keeps it", async () => {
    const page = await open({ theme: "vscode-dark", foreground: "#d4d4d4" });
    await show(page, "own", MIME.vegaLite, { ...examples["cka-matrix"](), config: { axis: { labelColor: "#ff00ff" } } });
    assert.equal(await axisLabelFill(page, "own"), "#ff00ff");
    await page.close();
  });

  test("a broken spec shows its error in the output", async () => {
    const page = await open();
    await show(page, "broken", MIME.vegaLite, { data: { values: [{ a: 1 }] }, transform: [{ calculate: "datum.a +", as: "b" }], mark: "point" });
    const alert = page.locator("#broken [role=alert]");
    assert.match((await alert.textContent()) ?? "", /could not be drawn.*Unexpected end of input/s);
    assert.equal(await page.locator("#broken svg.marks").count(), 0);
    await page.close();
  });

  test("re-rendering an output replaces its view; a verdict becomes an accessible card", async () => {
    const page = await open();
    await show(page, "out", MIME.chart, examples.distribution());
    await show(page, "out", MIME.verdict, verdict);
    assert.equal(await page.locator("#out svg.marks").count(), 0);
    const card = page.getByRole("article", { name: "Verdict on H1: falsified" });
    assert.equal(await card.count(), 1);
    assert.match((await card.textContent()) ?? "", /FALSIFIED|falsified/);
    assert.match((await card.textContent()) ?? "", /95% CI \[-0\.01, 0\.018\], threshold 0\.02: the interval lies below the threshold/);
    const colour = await card.locator(".falsify-verdict__word").evaluate((element) => getComputedStyle(element).color);
    assert.equal(colour, "rgb(229, 20, 0)", "falsified is drawn in the theme's red (fallback #e51400)");
    await show(page, "labelled", MIME.verdict, { ...verdict, label: "SmoothGrad" });
    const labelled = page.getByRole("article", { name: "Verdict on H1 (SmoothGrad): falsified" });
    assert.match((await labelled.locator("header").textContent()) ?? "", /H1\s*SmoothGrad\s*falsified/, "the card names the test, not only the hypothesis");
    await page.close();
  });

  // Issue 14: outputs come from notebooks that may be someone else's (fixtures in test/fixtures/charts/hostile/).
  const hostile = (name: string) => JSON.parse(readFileSync(join("test", "fixtures", "charts", "hostile", name), "utf8")) as unknown;

  // One page for all of them: opening one costs more than the checks.
  test("hostile outputs: embedOptions stripped, inline CSV without Function, no data from URLs, verdicts checked by their schema", async () => {
    const page = await open();
    // usermeta.embedOptions would turn eval back on (ast: false), add the action menu with the spec's
    // editor URL and HTML, and pick the loader.
    await show(page, "embed", MIME.vegaLite, hostile("embed-options.vl.json"));
    assert.equal(await marks(page, "embed", "point"), 2);
    assert.equal(await page.locator("#embed .vega-actions, #embed details").count(), 0, "no action menu");
    assert.equal(await page.evaluate(() => (window as any).INJECTED), undefined);

    // d3-dsv builds CSV rows with `new Function`, which the CSP forbids.
    await show(page, "csv", MIME.vegaLite, hostile("inline-csv.vl.json"));
    assert.equal(await marks(page, "csv", "point"), 3);
    assert.deepEqual(await page.evaluate(() => (window as any).falsify.violations), [], "nothing asked for eval");

    await show(page, "url", MIME.vegaLite, hostile("file-url.vl.json"));
    assert.match((await page.locator("#url [role=alert]").textContent()) ?? "", /could not be loaded.*charts load no data from outside the spec/s);

    await show(page, "claim", MIME.verdict, hostile("verdict-claim-number.json"));
    await show(page, "effect", MIME.verdict, hostile("verdict-without-effect.json"));
    assert.match((await page.locator("#claim [role=alert]").textContent()) ?? "", /Not a verdict.*claim: .*string/s);
    assert.match((await page.locator("#effect [role=alert]").textContent()) ?? "", /Not a verdict.*effect: /s);
    await page.close();
  });

  test("every MIME type the manifest gives the renderer is drawn; metrics and tensors get labelled views", async () => {
    const manifest = JSON.parse(readFileSync("package.json", "utf8")) as { contributes: { notebookRenderer: { mimeTypes: string[] }[] } };
    const values: Record<string, unknown> = {
      [MIME.vegaLite]: examples["ablation-curves"](),
      [MIME.chart]: examples["attribution-heatmap"](),
      [MIME.verdict]: verdict,
      [MIME.metric]: { name: "gradient: mean Spearman |map| with", value: { twin: 0.61234, fullyRandomised: 0.0523 } },
      [MIME.tensor]: { shape: [2, 2], dtype: "float32", size: 4, stats: { min: 1, max: 4, mean: 2.5, std: 1.118 }, values: [[1, 2], [3, 4]] },
    };
    const page = await open();
    for (const [index, mime] of manifest.contributes.notebookRenderer.flatMap((renderer) => renderer.mimeTypes).entries()) {
      assert.ok(mime in values, `no example value for ${mime}`);
      await show(page, `mime-${index}`, mime, values[mime]);
      assert.equal(await page.locator(`#mime-${index} [role=alert]`).count(), 0, `${mime} drew an error`);
      assert.notEqual((await page.locator(`#mime-${index}`).innerHTML()).trim(), "", `${mime} drew nothing`);
    }
    const metric = page.getByRole("region", { name: "metric gradient: mean Spearman |map| with" });
    assert.match((await metric.textContent()) ?? "", /twin\s*0\.612.*fullyRandomised\s*0\.0523/s);
    await show(page, "accuracy", MIME.metric, { name: "accuracy", value: 0.93 });
    assert.match((await page.locator("#accuracy").textContent()) ?? "", /metric\s*accuracy\s*=\s*0\.93/);
    const tensor = page.getByRole("region", { name: "Tensor float32 [2, 2]" });
    assert.match((await tensor.textContent()) ?? "", /mean\s*2\.5.*\[\[1,2\],\[3,4\]\]/s);
    await show(page, "per-class", MIME.metric, { name: "per-class accuracy", value: [0.91234, 0, 1] });
    assert.match((await page.locator("#per-class").textContent()) ?? "", /per-class accuracy\s*=\s*\[0\.912, 0, 1\]/);
    await show(page, "not-metric", MIME.metric, { value: 1 });
    assert.match((await page.locator("#not-metric [role=alert]").textContent()) ?? "", /Not a metric/);
    await page.close();
  });

  test("chart details a reader needs: distribution labels clear of the bars, probe range ticks within their layer, the verdict strip's axis", async () => {
    const page = await open();
    const boxes = (selector: string) =>
      page.locator(selector).evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().toJSON() as { left: number; right: number; top: number; bottom: number; width: number; height: number }));
    const overlaps = (a: { left: number; right: number; top: number; bottom: number }, b: typeof a) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

    // The example in the middle of the data, under the tallest bars: where a label drawn inside the plot collides.
    await show(page, "dist", MIME.chart, distributionView([1, 2, 2, 3, 3, 3, 3, 3, 4, 4, 5, 9], [{ value: 3.2, label: "the shown image" }], { bins: 4 }));
    const labels = await boxes("#dist svg.marks g.mark-text.role-mark text");
    const bars = await boxes("#dist svg.marks g.mark-rect.role-mark path");
    assert.ok(labels.length === 1 && bars.length > 0, `${labels.length} labels, ${bars.length} bars`);
    for (const label of labels) assert.ok(!bars.some((bar) => overlaps(label, bar)), "the example's percentile label overlaps a bar");

    await show(page, "probe", MIME.chart, examples["probe-accuracy"]());
    const points = (await boxes("#probe svg.marks g.mark-symbol.role-mark path")).map((p) => (p.left + p.right) / 2);
    const step = Math.min(...[...new Set(points.map(Math.round))].sort((a, b) => a - b).map((x, i, xs) => (i ? x - xs[i - 1] : Infinity)));
    const ticks = (await boxes("#probe svg.marks g.mark-rect.role-mark path")).filter((box) => box.width > box.height);
    assert.ok(ticks.length >= 6, `${ticks.length} range ticks`);
    for (const tick of ticks) assert.ok(tick.width < step / 2, `a range tick ${tick.width.toFixed(0)} px wide spills towards the neighbouring layer ${step.toFixed(0)} px away`);

    await show(page, "strip", MIME.verdict, { ...verdict, effect: { ...verdict.effect, ci: [0.001, null] } });
    const tickLabels = await page.locator("#strip svg .strip-tick-label").allTextContents();
    assert.ok(tickLabels.includes("0"), `the zero line is labelled (ticks ${tickLabels})`);
    assert.equal(await page.locator("#strip svg .strip-axis").count(), 1, "the strip has an axis");
    const [axis, ci] = await Promise.all([page.locator("#strip .strip-axis").getAttribute("x2"), page.locator("#strip .strip-ci").getAttribute("x2")]);
    assert.equal(ci, axis, "an open CI end (null in JSON) runs to the edge, not to 0");
    await page.close();
  });

  test("a chart's caption is the linter's reading of its cell, asked for by output id and updated on every lint", async () => {
    const page = await open({ messaging: true });
    await show(page, "lone", MIME.chart, examples["attribution-heatmap"]());
    const caption = page.locator("#lone .falsify-chart__caption");
    assert.match((await caption.textContent()) ?? "", /hypothesis H1 · no baseline/, "the chart's own description until the extension answers");
    assert.deepEqual(await page.evaluate(() => (window as any).falsify.posted), [{ type: "captions?", outputIds: ["lone"] }]);
    const receive = (captions: Record<string, string>) => page.evaluate((captions) => (window as any).falsify.receive({ type: "captions", captions }), captions);
    await receive({ lone: "hypothesis ✗ · baseline ✗ · quantified ✗", other: "not drawn here" });
    assert.equal(await caption.textContent(), "hypothesis ✗ · baseline ✗ · quantified ✗");
    assert.equal(await caption.getAttribute("data-source"), "linter");
    // The cell was linked and the notebook linted again: the extension sends the new reading unasked.
    await receive({ lone: "hypothesis H1 ✓ · baseline ✗ · quantified ✗" });
    assert.equal(await caption.textContent(), "hypothesis H1 ✓ · baseline ✗ · quantified ✗");
    // A caption already known is used as soon as the chart is drawn again, without asking.
    await show(page, "lone", MIME.chart, examples["attribution-heatmap"]());
    assert.equal(await page.locator("#lone .falsify-chart__caption").textContent(), "hypothesis H1 ✓ · baseline ✗ · quantified ✗");
    assert.equal((await page.evaluate(() => (window as any).falsify.posted)).length, 1);
    await page.close();
  });

  test("an untrusted workspace gets a notice and no chart", async () => {
    const page = await open({ trusted: false });
    await show(page, "untrusted", MIME.chart, examples["attribution-heatmap"]());
    assert.match((await page.locator("#untrusted [role=note]").textContent()) ?? "", /untrusted workspace/);
    assert.equal(await page.locator("#untrusted svg.marks").count(), 0);
    await page.close();
  });
});
