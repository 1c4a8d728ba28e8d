// `falsify export <notebook.falsify> [options]` (EXPORT in specs.ts lists them): the editor's "Export as
// Script", headless. Without -o the script goes to stdout. --bundle writes one .mjs that carries its
// runtime (dist/standalone.js, beside this CLI) and runs in an empty folder; --with-data copies the
// files the cells read beside it (core/export/data.ts); --dir writes a folder: the bundled script, a
// package.json pinning the recorded versions and a README (core/export/pinned.ts).
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../core/atomic-write";
import { basename, dirname, extname, join, relative, resolve, sep } from "node:path";
import { mkdir } from "node:fs/promises";
import { carryNotebookData, copyCarried, exportScript, pinnedManifest, pinnedReadme, recordedRun } from "../core/export";
import { EXPORT } from "./specs";
import { withCommandLine, type CliCommand, type CliIo } from "./command";
import { readNotebook } from "./read";
import { generatorName } from "../core/export/version";

/** Where the runtime a bundled script embeds is: beside the CLI bundle (tests build one elsewhere). */
export interface ExportPlaces {
  standaloneRuntime: string;
}

export const exportCommand: CliCommand = (args, io) => exportWith(args, io, { standaloneRuntime: join(__dirname, "standalone.js") });

export function exportWith(args: string[], io: CliIo, places: ExportPlaces): Promise<number> {
  return withCommandLine(EXPORT, args, io, async ({ cell: cellId, out: file, bundle: bundled, "with-data": withData, dir }, [notebookPath]) => {
    if (dir !== undefined && file !== undefined) {
      io.err("falsify export: give -o (a script) or --dir (a folder), not both");
      return 2;
    }
    const out = dir === undefined ? file : join(dir, `${basename(notebookPath, extname(notebookPath)).replace(/[^\w.-]+/g, "-") || "notebook"}.mjs`);
    const bundle = bundled || dir !== undefined;
    if (withData && !out) {
      io.err("falsify export: --with-data copies files beside the script: give -o or --dir");
      return 2;
    }
    const language = bundle || (out && /\.(mjs|js)$/.test(out)) ? "mjs" : "ts";
    if (out && ![".ts", ".mts", ".mjs", ".js"].includes(extname(out))) {
      io.err(`falsify export: -o must end in .ts, .mts, .mjs or .js (got ${out})`);
      return 2;
    }
    if (bundle && out && extname(out) !== ".mjs") {
      io.err(`falsify export: a bundled script is an ES module: name it .mjs (got ${out})`);
      return 2;
    }
    const notebook = (await readNotebook(notebookPath, io))?.notebook;
    if (!notebook) return 2;
    const scriptDir = dirname(resolve(out ?? "."));
    const notebookDir = relative(out ? scriptDir : resolve("."), dirname(resolve(notebookPath))).split(sep).join("/") || ".";
    const runtime = bundle ? await readFile(places.standaloneRuntime, "utf8") : undefined;
    // With its data the script runs in its own folder, where the copies are.
    const data = withData ? carryNotebookData(notebook, cellId, dirname(resolve(notebookPath))) : undefined;
    const result = exportScript(notebook, {
      notebookName: basename(notebookPath),
      generator: generatorName(),
      cellId,
      language,
      notebookDir: data ? "." : notebookDir,
      ...(runtime === undefined ? {} : { bundle: { runtime } }),
      ...(data ? { data } : {}),
      checkVersions: dir !== undefined,
    });
    if (!result.ok) {
      io.err(`falsify export: refused (${result.error.kind}): ${result.error.message}`);
      return 1;
    }
    if (!out) {
      io.out(result.script.trimEnd());
      return 0;
    }
    if (dir !== undefined) {
      await mkdir(dir, { recursive: true });
      const recorded = recordedRun(notebook.cells.filter((cell) => result.cellIds.includes(cell.id)));
      await writeFileAtomic(join(dir, "package.json"), pinnedManifest(basename(out), basename(notebookPath), generatorName(), recorded));
      await writeFileAtomic(join(dir, "README.md"), pinnedReadme(basename(out), basename(notebookPath), generatorName(), recorded));
    }
    await writeFileAtomic(out, result.script);
    io.out(`wrote ${out}: ${result.cellIds.length} cell${result.cellIds.length === 1 ? "" : "s"} (${result.cellIds.join(", ")})`);
    if (data) {
      io.out(`copied beside it: ${copyCarried(data.values(), scriptDir).join(", ") || "nothing"}`);
      for (const [path, carried] of data) if (carried.notCopied) io.err(`falsify export: ${path} not copied (${carried.notCopied})`);
    }
    const runner = language === "mjs" ? "node" : "npx tsx";
    const esm = extname(out) === ".ts" ? ' (an ES module: keep it in a "type": "module" package, or name it .mts)' : "";
    io.out(`run it with: ${runner} ${out} [--seed N] [--shard i/n] [--out results.json] [--svg-dir dir]${esm}`);
    return 0;
  });
}
