// Charts read nothing and write nowhere they should not (issue 14). A chart spec from a notebook is
// untrusted: rendering it in Node (renderSvg, falsify run --svg-dir, exported scripts) must not read
// files or the network, must not crash on a hostile link, and its name must not pick the file path.
// Repros are fixtures in test/fixtures/charts/hostile/.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, describe, test } from "node:test";
import { ChartError, renderSvg } from "../../../src/core/charts";
import type { VegaLiteSpec } from "../../../src/core/display";
import { RunRecord } from "../../../src/runtime/run-record";

const hostile = (name: string) => JSON.parse(readFileSync(`test/fixtures/charts/hostile/${name}`, "utf8")) as VegaLiteSpec;

const scratch = mkdtempSync(join(tmpdir(), "falsify-chart-loader-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A file outside every folder a chart may read, holding a token that must never reach an SVG. */
const SECRET = "falsify-secret-token-7c1f";
const outside = join(scratch, "outside.csv");
writeFileSync(outside, `name\n${SECRET}\n`);
const notebookDir = join(scratch, "notebook");
mkdirSync(notebookDir);
writeFileSync(join(notebookDir, "data.csv"), "name\ninside-value-42\n");
symlinkSync(outside, join(notebookDir, "link.csv"));

const textChart = (url: string): VegaLiteSpec => ({ data: { url, format: { type: "csv" } }, mark: "text", encoding: { text: { field: "name" } } }) as VegaLiteSpec;

async function refused(spec: VegaLiteSpec, options: { filesIn?: string } = {}): Promise<string> {
  let svg = "";
  await assert.rejects(
    (async () => {
      svg = await renderSvg(spec, options);
    })(),
    (error: unknown) => error instanceof ChartError && error.kind === "unloadable-data" && /could not be loaded/.test(error.message),
  );
  return svg;
}

describe("chart data never comes from files or the network by default", () => {
  test("the repro: a file: URL (/etc/passwd) is refused, not drawn into the SVG", async () => {
    await refused(hostile("file-url.vl.json"));
  });

  test("file URLs, absolute and relative paths (relative to the process' folder too) are refused", async () => {
    for (const url of [pathToFileURL(outside).href, outside, "package.json"]) await refused(textChart(url));
  });

  test("http is refused without a request leaving the process", async () => {
    let requests = 0;
    const server = createServer((_request, response) => {
      requests++;
      response.end("name\nfrom-the-network\n");
    });
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/data.csv`;
      await refused(textChart(url));
      await refused(textChart(url), { filesIn: notebookDir });
      assert.equal(requests, 0);
    } finally {
      server.close();
    }
  });
});

describe("with filesIn (falsify run --allow-chart-files): files inside that folder only", () => {
  test("a relative path reads from the folder, not from the process' folder", async () => {
    const svg = await renderSvg(textChart("data.csv"), { filesIn: notebookDir });
    assert.match(svg, /inside-value-42/);
  });

  test("paths leaving the folder, absolute paths, and symbolic links pointing out are refused", async () => {
    for (const url of ["../outside.csv", outside, pathToFileURL(outside).href, "link.csv"]) {
      const svg = await refused(textChart(url), { filesIn: notebookDir });
      assert.doesNotMatch(svg, new RegExp(SECRET), url);
    }
  });
});

describe("links", () => {
  test("a javascript: href neither crashes the process nor reaches the SVG; an https link stays", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const svg = await renderSvg(hostile("href-javascript.vl.json"));
      await new Promise((settled) => setTimeout(settled, 50));
      assert.doesNotMatch(svg, /javascript:/);
      const linked = { ...hostile("href-javascript.vl.json"), encoding: { href: { value: "https://example.org/unit" } } } as VegaLiteSpec;
      assert.match(await renderSvg(linked), /xlink:href="https:\/\/example\.org\/unit"/);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    assert.deepEqual(unhandled, []);
  });
});

describe("--svg-dir writes", () => {
  test("a chart's name from its spec is a slug: x/../../../../ESCAPED stays inside the folder", async () => {
    const dir = join(scratch, "deep", "a", "b", "c", "charts");
    const record = new RunRecord();
    record.observeOutputs([{ items: [{ mime: "application/vnd.vegalite.v5+json", data: hostile("escaping-name.vl.json") }] }], "c1");
    const written = await record.writeCharts(dir);
    assert.deepEqual(written, { files: [join(dir, "chart-01-x-escaped.svg")], failed: [] });
    assert.deepEqual(readdirSync(join(scratch, "deep")), ["a"], "nothing was written above the folder");
    assert.deepEqual(readdirSync(dir), ["chart-01-x-escaped.svg"]);
  });

  test("a chart that cannot be drawn fails alone, naming its cell; the others are written", async () => {
    const dir = join(scratch, "partial");
    const record = new RunRecord();
    const chart = (spec: unknown) => [{ items: [{ mime: "application/vnd.vegalite.v5+json", data: spec }] }];
    record.observeOutputs(chart(hostile("href-javascript.vl.json")), "first");
    record.observeOutputs(chart(hostile("file-url.vl.json")), "reads-passwd");
    record.observeOutputs(chart(hostile("escaping-name.vl.json")), "third");
    const written = await record.writeCharts(dir);
    assert.deepEqual(written.files, [join(dir, "chart-01-vega-lite.svg"), join(dir, "chart-03-x-escaped.svg")]);
    assert.equal(written.failed.length, 1);
    assert.equal(written.failed[0].chart, 2);
    assert.equal(written.failed[0].cellId, "reads-passwd");
    assert.match(written.failed[0].message, /charts load no data from outside the spec \("file:\/\/\/etc\/passwd"\)/);
  });
});
