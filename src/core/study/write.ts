// Writing a study to disk: the participants' page (<id>.html, the file to send) and the author's
// key (<id>.key.json, the file to keep: it holds the answers). Each file is written to a temporary
// name and renamed, so a reader never sees half a file; a key that differs from the one on disk is
// refused rather than overwritten, because answers already collected are scored against it.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Study, StudyError } from "./design";
import { studyHtml } from "./html";

export interface WrittenStudy {
  /** Send this to participants (or open it with "Falsify: Take Study"). */
  html: string;
  /** Keep this: analyzeStudy scores answers with it. */
  key: string;
}

export function writeStudy(study: Study, folder: string, options: { overwrite?: boolean } = {}): WrittenStudy {
  const name = study.key.study.replace(/[^A-Za-z0-9._-]/g, "_");
  const paths = { html: join(folder, `${name}.html`), key: join(folder, `${name}.key.json`) };
  const key = `${JSON.stringify(study.key, null, 2)}\n`;
  if (!options.overwrite && existsSync(paths.key) && readFileSync(paths.key, "utf8") !== key) {
    throw new StudyError("mismatch", `${paths.key} holds a different key (other tokens, seed or items): answers collected with it would be scored wrongly. Use another folder or study id, or pass { overwrite: true }.`);
  }
  mkdirSync(folder, { recursive: true });
  atomicWrite(paths.key, key);
  atomicWrite(paths.html, studyHtml(study.page));
  return paths;
}

function atomicWrite(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
