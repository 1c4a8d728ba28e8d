// Maps at ImageNet scale (the repro: a 224x224 attributionHeatmap was a 7.5 MB spec and a
// 28 MB SVG after 12 s; a 107-panel sanityGrid died with RangeError: Invalid string length) are
// drawn as paletted PNG images inside the spec. The PNG is checked against the format itself
// (chunk CRCs by a bitwise CRC-32, the inflated rows), the colours against vega's schemes' ends.
import assert from "node:assert/strict";
import { test } from "node:test";
import { inflateSync } from "node:zlib";
import * as charts from "../../../src/core/charts";
import { encodePng } from "../../../src/core/charts/png";
import { blockAverage } from "../../../src/core/charts/raster";

/** CRC-32 bit by bit (no table): an independent check of the encoder's. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

interface Decoded {
  width: number;
  height: number;
  palette: number[][];
  indices: Uint8Array;
}

/** A paletted PNG read back: every chunk's CRC checked, IDAT inflated, rows unfiltered (type 0 only). */
function decode(png: Buffer): Decoded {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "signature");
  const chunks: Record<string, Buffer[]> = {};
  const order: string[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString("latin1", at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    assert.equal(png.readUInt32BE(at + 8 + length), crc32(png.subarray(at + 4, at + 8 + length)), `${type} CRC`);
    (chunks[type] ??= []).push(data);
    order.push(type);
    at += 12 + length;
  }
  assert.deepEqual(order, ["IHDR", "PLTE", "IDAT", "IEND"]);
  const header = chunks.IHDR[0];
  const [width, height] = [header.readUInt32BE(0), header.readUInt32BE(4)];
  assert.deepEqual([...header.subarray(8)], [8, 3, 0, 0, 0], "8-bit palette, no interlace");
  const plte = chunks.PLTE[0];
  const palette = Array.from({ length: plte.length / 3 }, (_, k) => [...plte.subarray(3 * k, 3 * k + 3)]);
  const raw = inflateSync(Buffer.concat(chunks.IDAT));
  assert.equal(raw.length, height * (width + 1));
  const indices = new Uint8Array(width * height);
  for (let row = 0; row < height; row++) {
    assert.equal(raw[row * (width + 1)], 0, "filter type none");
    indices.set(raw.subarray(row * (width + 1) + 1, (row + 1) * (width + 1)), row * width);
  }
  return { width, height, palette, indices };
}

const pngOf = (url: string) => Buffer.from(url.replace(/^data:image\/png;base64,/, ""), "base64");

/** The image marks' data URLs of a spec, in panel order. */
function imageUrls(spec: unknown): string[] {
  return [...JSON.stringify(spec).matchAll(/"url":"(data:image\/png;base64,[^"]+)"/g)].map((m) => m[1]);
}

const n = 224;
const image = Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => 0.5 + 0.45 * Math.sin(r * 0.05) * Math.cos(c * 0.07)));
const noisyMap = (seed: number) => Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => Math.sin(r * 0.3 + seed) * Math.cos(c * 0.2 * seed) + 0.3 * Math.sin(r * c + seed)));

test("the PNG encoder writes what a PNG reader reads back: signature, CRCs, header, palette, rows", () => {
  const indices = Uint8Array.from({ length: 5 * 3 }, (_, i) => (i * 7) % 4);
  const palette: [number, number, number][] = [[0, 0, 0], [255, 0, 0], [0, 128, 255], [255, 255, 255]];
  const decoded = decode(encodePng(5, 3, { indices, palette }));
  assert.deepEqual([decoded.width, decoded.height], [5, 3]);
  assert.deepEqual(decoded.palette, palette);
  assert.deepEqual([...decoded.indices], [...indices]);
  assert.throws(() => encodePng(2, 2, { indices: new Uint8Array(3), palette }), /3 pixels for a 2x2 image/);
});

test("block averaging keeps the mean of each block", () => {
  assert.deepEqual(blockAverage([[1, 3, 5, 7], [1, 3, 5, 7]], 1, 2), [[2, 6]]);
  const small = [[1, 2], [3, 4]];
  assert.equal(blockAverage(small, 8, 8), small);
});

test("a 224x224 heatmap is two images (input, map) with the scheme's colours: a small spec and SVG", async () => {
  const map = noisyMap(1);
  const spec = charts.attributionHeatmap(image, map);
  const size = JSON.stringify(spec).length;
  assert.ok(size < 300_000, `spec ${size} bytes`);
  const [input, shown] = imageUrls(spec).map((url) => decode(pngOf(url)));
  assert.deepEqual([input.width, input.height, shown.width, shown.height], [224, 224, 224, 224], "at most the panel's 240 pixels: full resolution");
  // Signed map: vega's redblue reversed around 0. Its most negative pixel is the scheme's dark blue end, its largest the dark red end.
  const flat = map.flat();
  const [lowest, highest] = [flat.indexOf(Math.min(...flat)), flat.indexOf(Math.max(...flat))];
  const colourAt = (i: number) => shown.palette[shown.indices[i]];
  const outline = (i: number) => colourAt(i).join() === "255,255,255";
  if (!outline(lowest)) assert.deepEqual(colourAt(lowest), [0x05, 0x30, 0x61]);
  if (!outline(highest)) assert.deepEqual(colourAt(highest), [0x67, 0x00, 0x1f]);
  // The legend is vega's own, on the same scale.
  assert.match(JSON.stringify(spec), /"scheme":"redblue","reverse":true,"domain":\[-?[\d.e-]+,0,[\d.e-]+\]/);
  const svg = await charts.renderSvg(spec);
  assert.equal((svg.match(/<image /g) ?? []).length, 2);
  assert.ok(svg.length < 400_000, `SVG ${svg.length} bytes`);
  // Small maps stay vector (zoomable, a tooltip per pixel); raster can be asked for.
  const digits = Array.from({ length: 8 }, (_, r) => Array.from({ length: 8 }, (_, c) => r - c));
  assert.equal(imageUrls(charts.attributionHeatmap(digits, digits)).length, 0);
  assert.equal(imageUrls(charts.attributionHeatmap(digits, digits, { raster: true })).length, 2);
});

test("the sanity grid of a 20-block cascade at 224x224: spec and SVG in under 5 s and 5 MB; 107 panels fit too", async () => {
  // CPU seconds, not the wall clock: the unit suite runs test files side by side (and machines are
  // shared), so the wall clock would also count the neighbours' work; this process's time is the cost.
  const started = process.cpuUsage();
  const grid = charts.attributionGrid({ image, method: { name: "gradient", map: noisyMap(1) }, cascading: Array.from({ length: 20 }, (_, i) => ({ layer: `block_${i}`, map: noisyMap(i + 2), spearman: 0.5, ssim: 0.2 })) });
  const svg = await charts.renderSvg(grid);
  const { user, system } = process.cpuUsage(started);
  const seconds = (user + system) / 1e6;
  const bytes = JSON.stringify(grid).length + svg.length;
  assert.ok(seconds < 5 && bytes < 5e6, `${seconds.toFixed(1)} s of CPU, ${(bytes / 1e6).toFixed(2)} MB`);
  const panels = imageUrls(grid).map((url) => decode(pngOf(url)));
  assert.equal(panels.length, 22);
  assert.ok(panels.every((p) => p.width === 140 && p.height === 140), "maps averaged down to the 140-pixel panels");
  const big = charts.attributionGrid({ image, method: { name: "gradient", map: noisyMap(1) }, cascading: Array.from({ length: 107 }, (_, i) => ({ layer: `block_${i}`, map: noisyMap(i + 2) })) });
  const bigBytes = JSON.stringify(big).length;
  assert.ok(bigBytes < 4e6, `107 panels: ${(bigBytes / 1e6).toFixed(2)} MB`);
});
