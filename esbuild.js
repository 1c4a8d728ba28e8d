// Builds every bundle: one esbuild context per entry. Types are checked by `tsc --noEmit`
// (`npm run typecheck`), because esbuild only strips them.
//   node esbuild.js               development build with source maps
//   node esbuild.js --production  minified, what `npm run package` ships
//   node esbuild.js --watch       rebuild on change
//   --outdir DIR                  write the bundles to DIR instead of dist/ (the .vsix test builds into a temp folder)
//   --only NAME[,NAME]            build only these bundles (by file name without .js; tests build what they run)
const esbuild = require("esbuild");
const path = require("node:path");

const production = process.argv.includes("--production");
const watch = process.argv.includes("--watch");
const outdir = process.argv.includes("--outdir") ? process.argv[process.argv.indexOf("--outdir") + 1] : "dist";
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1].split(",") : undefined;

// Never bundled: `vscode` is provided by the extension host; tfjs-node is a native addon found at run
// time in the user's workspace; tfjs and its wasm backend load their own files from node_modules, and
// every user of tfjs in a kernel must share one instance of it.
const nodeExternals = ["vscode", "@tensorflow/tfjs-node", "@tensorflow/tfjs", "@tensorflow/tfjs-core", "@tensorflow/tfjs-backend-wasm"];

/**
 * In the bundled-script runtime, the toolkit's tfjs imports are the instance the script loads at run
 * time (tfjs-node or the carried tfjs), never a copy of their own: they resolve to tf-instance.cjs.
 * The carried tfjs (standalone/tfjs.ts) and the packages inside it import the real tfjs.
 */
const oneTfjsInstance = {
  name: "one-tfjs-instance",
  setup(build) {
    const instance = path.resolve("src/runtime/standalone/tf-instance.cjs");
    const carried = path.resolve("src/runtime/standalone/tfjs.ts");
    build.onResolve({ filter: /^@tensorflow\/tfjs(-core|-layers|-node)?$/ }, (args) => {
      const ours = args.importer.startsWith(path.resolve("src")) && args.importer !== carried;
      return ours ? { path: instance } : undefined;
    });
  },
};

/**
 * vega-canvas's Node build tries `await import("canvas")` at top level, which no CommonJS bundle can
 * hold; charts are drawn as SVG without a canvas, so its browser build (no canvas in Node) is used.
 */
const vegaWithoutCanvas = {
  name: "vega-without-canvas",
  setup(build) {
    build.onResolve({ filter: /^vega-canvas$/ }, () => ({ path: path.resolve("node_modules/vega-canvas/build/vega-canvas.browser.js") }));
  },
};

/** Bundles: the extension host entry, the CLI, and (added by later work) the kernel and renderer. */
const entries = [
  { entryPoints: ["src/vscode/extension.ts"], outfile: `${outdir}/extension.js`, platform: "node", format: "cjs" },
  // The CLI's entry is small (the commands' declarations, --help, --version); the commands themselves
  // (TypeScript, zod, vega, the kernel client...) are a second bundle it requires when one runs: 11 MB
  // compiled for `falsify --help` took 1.5 s. `--only cli` builds both.
  // `run` has a bundle of its own: it needs no TypeScript (the kernel transpiles), so it loads 0.5 MB, not 4.3.
  { entryPoints: ["src/cli/main.ts"], outfile: `${outdir}/cli.js`, platform: "node", format: "cjs", banner: { js: "#!/usr/bin/env node" }, external: [...nodeExternals, "./commands", "./run"] },
  { entryPoints: ["src/cli/commands.ts"], outfile: `${outdir}/commands.js`, platform: "node", format: "cjs", group: "cli" },
  { entryPoints: ["src/cli/run.ts"], outfile: `${outdir}/run.js`, platform: "node", format: "cjs", group: "cli" },
  // The kernel process (spawned by KernelClient) and the runtime library cells import as "falsify".
  // vega is ES-module-only with top-level await: the runtime's chart rasteriser imports it at run time.
  { entryPoints: ["src/kernel/main.ts"], outfile: `${outdir}/kernel.js`, platform: "node", format: "cjs", external: [...nodeExternals, "vega", "vega-lite"] },
  { entryPoints: ["src/runtime/index.ts"], outfile: `${outdir}/runtime.js`, platform: "node", format: "cjs", external: [...nodeExternals, "vega", "vega-lite"] },
  // tfjs + its wasm backend (and the .wasm files, to dist/wasm/) for a .vsix, which has no node_modules.
  { entryPoints: ["src/kernel/tfjs-bundle.ts"], outfile: `${outdir}/tfjs.js`, platform: "node", format: "cjs", external: ["vscode"], loader: { ".wasm": "file" }, assetNames: "wasm/[name]" },
  // The runtime of exported scripts (`import { startScript } from "falsify/script"`, package.json exports).
  { entryPoints: ["src/runtime/script.ts"], outfile: `${outdir}/script.js`, platform: "node", format: "cjs", external: [...nodeExternals, "vega", "vega-lite"] },
  // The runtime a bundled export embeds (src/core/export/bundle.ts): tfjs with its wasm binaries (as
  // data: URLs) and vega inside, so the script needs no node_modules; only tfjs-node stays outside,
  // found at run time. Minified always: every bundled script carries it.
  {
    entryPoints: ["src/runtime/standalone.ts"],
    outfile: `${outdir}/standalone.js`,
    platform: "node",
    format: "cjs",
    external: ["@tensorflow/tfjs-node"],
    loader: { ".wasm": "dataurl" },
    minify: true,
    sourcemap: false,
    plugins: [oneTfjsInstance, vegaWithoutCanvas],
  },
  // The notebook renderer runs in the notebook webview: an ES module that bundles vega, vega-lite and vega-embed.
  { entryPoints: ["src/renderer/index.ts"], outfile: `${outdir}/renderer.js`, platform: "browser", format: "esm", target: "es2022" },
];

/**
 * Optional packages that bundled code requires inside a try/catch and never needs here: TypeScript's
 * `source-map-support` (only for its own command line under NODE_ENV=development) and node-fetch's
 * `encoding` (tfjs' fetch; models load from files). Each becomes a module that throws as a missing
 * one would, so no bundle asks for a package the .vsix does not carry.
 */
const notInstalled = {
  name: "not-installed",
  setup(build) {
    build.onResolve({ filter: /^(source-map-support|encoding)$/ }, (args) => ({ path: args.path, namespace: "not-installed" }));
    build.onLoad({ filter: /.*/, namespace: "not-installed" }, (args) => ({
      contents: `throw Object.assign(new Error("Cannot find module '${args.path}'"), { code: "MODULE_NOT_FOUND" });`,
      loader: "js",
    }));
  },
};

/** Prints errors as `✘ [ERROR] file:line:col` so VS Code's esbuild problem matcher picks them up. */
const problemMatcher = {
  name: "problem-matcher",
  setup(build) {
    build.onStart(() => {
      if (watch) console.log("[watch] build started");
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log("[watch] build finished");
    });
  },
};

async function main() {
  const contexts = await Promise.all(
    entries.filter((entry) => !only || only.includes(entry.group ?? path.basename(entry.outfile, ".js"))).map(({ group: _, ...entry }) =>
      esbuild.context({
        bundle: true,
        target: "node20",
        external: entry.platform === "node" ? nodeExternals : [],
        minify: production,
        sourcemap: production ? false : "linked",
        sourcesContent: false,
        logLevel: "silent",
        ...entry,
        plugins: [notInstalled, problemMatcher, ...(entry.plugins ?? [])],
      }),
    ),
  );
  if (watch) {
    await Promise.all(contexts.map((context) => context.watch()));
    return;
  }
  const results = await Promise.allSettled(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
  if (results.some((result) => result.status === "rejected")) process.exit(1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
