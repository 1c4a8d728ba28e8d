// `falsify export --with-data`: the models and data files the exported cells read, copied beside
// the script (which then runs in its own folder), so that the folder runs on another machine. Only
// files under the notebook's folder are copied: a notebook from someone else must not make an export
// copy files of yours (`/home/you/.ssh/...`) into a folder you then send. What is not copied is said,
// in the script's header and by the command, and keeps a path that still works on this machine.
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Notebook } from "../format";
import { exportedReads, planExport } from "./plan";

export interface CarriedFile {
  /** The path the script reads instead of the cell's: relative to the script's folder when copied, else absolute. */
  path: string;
  /** What is copied: `from` (absolute) to `to` (relative to the script's folder); a model.json brings its weight files. */
  copies: { from: string; to: string }[];
  /** Why the file is not copied, when it is not. */
  notCopied?: string;
}

/** The files an export of `notebook` (whole, or `cellId` with its closure) reads, by literal path, as carried; empty when the export is refused. */
export function carryNotebookData(notebook: Notebook, cellId: string | undefined, notebookFolder: string): Map<string, CarriedFile> {
  const planned = planExport(notebook, cellId);
  if (!planned.ok) return new Map();
  return carryData(exportedReads(planned.plan).flatMap(({ read }) => (read.path === undefined ? [] : [read.path])), notebookFolder);
}

/** Where each of `paths` (as the cells name them, relative to `notebookFolder`) is carried. */
export function carryData(paths: readonly string[], notebookFolder: string): Map<string, CarriedFile> {
  const root = realpathSync(notebookFolder);
  const carried = new Map<string, CarriedFile>();
  for (const path of new Set(paths)) {
    const full = resolve(notebookFolder, path);
    if (!existsSync(full)) {
      carried.set(path, { path, copies: [], notCopied: "not found when exporting" });
      continue;
    }
    const to = inside(root, realpathSync(full));
    if (to === undefined) {
      carried.set(path, { path: full.split(sep).join("/"), copies: [], notCopied: "outside the notebook's folder" });
      continue;
    }
    const copies = [{ from: full, to }, ...weightFiles(root, full)];
    carried.set(path, { path: to, copies });
  }
  return carried;
}

/** Copies what `carryData` planned into `scriptDir` (a file already there, being the same file, stays); returns where, relative to it. */
export function copyCarried(carried: Iterable<CarriedFile>, scriptDir: string): string[] {
  const copied: string[] = [];
  for (const { from, to } of [...carried].flatMap((file) => file.copies)) {
    const destination = join(scriptDir, to);
    const directory = statSync(from).isDirectory();
    if (resolve(destination) !== resolve(from)) {
      mkdirSync(directory ? destination : dirname(destination), { recursive: true });
      // A folder's symbolic links are copied as links, never followed: no file outside it is read.
      if (directory) cpSync(from, destination, { recursive: true, verbatimSymlinks: true });
      else copyFileSync(from, destination);
    }
    copied.push(to);
  }
  return copied;
}

/** `file` relative to `root` (posix), when it is under it. */
function inside(root: string, file: string): string | undefined {
  const path = relative(root, file);
  if (path === "" || path.startsWith("..") || isAbsolute(path)) return undefined;
  return path.split(sep).join("/");
}

/** A tfjs model.json's weight shards (weightsManifest paths, beside it), those under `root`. */
function weightFiles(root: string, modelJson: string): { from: string; to: string }[] {
  if (!modelJson.endsWith(".json") || statSync(modelJson).isDirectory()) return [];
  let manifest: unknown;
  try {
    manifest = (JSON.parse(readFileSync(modelJson, "utf8")) as { weightsManifest?: unknown }).weightsManifest;
  } catch {
    return [];
  }
  if (!Array.isArray(manifest)) return [];
  const paths = manifest.flatMap((group: { paths?: unknown }) => (Array.isArray(group?.paths) ? group.paths.filter((p): p is string => typeof p === "string") : []));
  return paths.flatMap((path) => {
    const from = resolve(dirname(modelJson), path);
    const to = existsSync(from) ? inside(root, realpathSync(from)) : undefined;
    return to === undefined ? [] : [{ from, to }];
  });
}
