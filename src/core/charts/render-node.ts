// Charts outside VS Code: the same Vega-Lite specs rendered to SVG (and PNG, when the optional
// rasteriser is installed) in plain Node, for exported scripts and reports. vega and vega-lite are
// ES modules (vega-canvas even uses top-level await, which no CommonJS bundle can hold); they are
// loaded at run time from node_modules with a dynamic import whose specifier bundlers do not
// follow, so CommonJS callers (the kernel, the CLI, tsx) can use this, every bundle builds, and
// nothing is loaded until a chart is actually rendered.
import { readFile, realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { VegaLiteSpec } from "../display";
import { chartLoader, type ChartFileReader } from "./loader";
import { ChartError } from "./spec";

export interface RenderOptions {
  /**
   * A folder whose files the chart's `data.url` may read (relative paths resolve there), e.g. the
   * notebook's with `falsify run --allow-chart-files`. Without it a chart reads no file; it never
   * reads the network.
   */
  filesIn?: string;
}

export interface RenderPngOptions extends RenderOptions {
  /** Multiplies the chart's pixel size (PNG only). Default 2, sharp on high-density screens. */
  scale?: number;
}

/** Compiles a Vega-Lite spec and renders it headlessly to an SVG document. */
export async function renderSvg(spec: VegaLiteSpec, options: RenderOptions = {}): Promise<string> {
  const view = await headlessView(spec, options);
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Renders to PNG through `@resvg/resvg-js` (an optional dependency). Without it this throws a
 * ChartError of kind "rasteriser-unavailable" saying how to get it; `renderSvg` needs nothing extra.
 */
export async function renderPng(spec: VegaLiteSpec, options: RenderPngOptions = {}): Promise<Uint8Array> {
  const svg = await renderSvg(spec, options);
  const resvg = await loadRasteriser();
  const rendered = new resvg.Resvg(svg, { fitTo: { mode: "zoom", value: options.scale ?? 2 }, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).render();
  return new Uint8Array(rendered.asPng());
}

/** True when PNG rendering is possible here (the optional rasteriser is installed). */
export async function canRenderPng(): Promise<boolean> {
  try {
    await loadRasteriser();
    return true;
  } catch {
    return false;
  }
}

interface Rasteriser {
  Resvg: new (svg: string, options: unknown) => { render(): { asPng(): Uint8Array } };
}

const RASTERISER = "@resvg/resvg-js";

async function loadRasteriser(): Promise<Rasteriser> {
  try {
    // A variable keeps bundlers from trying to inline the native addon.
    const module = (await import(/* @vite-ignore */ RASTERISER)) as Rasteriser & { default?: Rasteriser };
    return module.Resvg ? module : (module.default as Rasteriser);
  } catch (error) {
    throw new ChartError("rasteriser-unavailable", `PNG rendering needs the optional package ${RASTERISER} (npm install ${RASTERISER}); it could not be loaded: ${(error as Error).message}. SVG rendering (renderSvg) works without it.`);
  }
}

interface HeadlessView {
  toSVG(): Promise<string>;
  finalize(): void;
}

const VEGA = "vega";
const VEGA_LITE = "vega-lite";

type ChartModules = [typeof import("vega-lite"), typeof import("vega")];
let carried: (() => ChartModules) | undefined;

/**
 * A bundle that carries vega-lite and vega itself (a bundled exported script, which has no
 * node_modules) hands them over here; otherwise they are imported when a chart is first rendered.
 */
export function useChartModules(load: () => ChartModules): void {
  carried = load;
}

async function loadVega(): Promise<ChartModules> {
  if (carried) return carried();
  try {
    return await Promise.all([import(/* @vite-ignore */ VEGA_LITE), import(/* @vite-ignore */ VEGA)]);
  } catch (error) {
    throw new ChartError("renderer-unavailable", `Rendering charts outside VS Code needs the packages vega and vega-lite (npm install vega vega-lite); they could not be loaded: ${(error as Error).message}`);
  }
}

async function headlessView(spec: VegaLiteSpec, options: RenderOptions): Promise<HeadlessView> {
  const [vegaLite, vega] = await loadVega();
  let runtime;
  try {
    const compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
    runtime = vega.parse(compiled);
  } catch (error) {
    throw new ChartError("invalid-spec", `The chart spec cannot be compiled: ${(error as Error).message}`);
  }
  const loader = chartLoader(options.filesIn === undefined ? undefined : filesInside(options.filesIn));
  const view = new vega.View(runtime, { renderer: "none", loader: loader as unknown as import("vega").Loader });
  try {
    await view.runAsync();
  } catch (error) {
    view.finalize();
    throw new ChartError("invalid-spec", `The chart failed to render: ${(error as Error).message}`);
  }
  if (loader.failures.length) {
    view.finalize();
    throw new ChartError("unloadable-data", `The chart's data could not be loaded: ${loader.failures[0]}`);
  }
  return view;
}

/** Reads files inside `folder` only, after following symbolic links. */
function filesInside(folder: string): ChartFileReader {
  return async (uri) => {
    const path = /^file:/i.test(uri) ? fileURLToPath(uri) : resolve(folder, uri);
    const [root, real] = await Promise.all([realpath(folder), realpath(path)]);
    const inside = relative(root, real);
    if (inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
      throw new Error(`charts read files inside the notebook's folder only, not ${JSON.stringify(uri.slice(0, 200))}`);
    }
    return readFile(real, "utf8");
  };
}
