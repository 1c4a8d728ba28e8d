// Every file Falsify writes outside the editor (notebooks, scripts, results, charts) is written
// whole or not at all: to a temporary file in the same folder, flushed to disk, then renamed over
// the target. A full disk or a crash mid-write leaves the original as it was (a truncated notebook
// is a lost notebook), and the temporary file is removed on any error.
//
// `unchanged` makes the write conflict-aware: the target must still hold exactly those bytes when
// the new ones are about to replace it (a command that read a file minutes ago must not write
// over what an editor or `git pull` put there since).
import { randomBytes } from "node:crypto";
import { open, readFile, realpath, rename, rm, stat, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export interface AtomicWriteOptions {
  /** The bytes the target held when it was read: write only if it still holds them. */
  unchanged?: Uint8Array;
  /** Writes the data into the open temporary file (tests inject a failing one). */
  write?: (file: FileHandle, data: string | Uint8Array) => Promise<void>;
}

/** The target changed since it was read; nothing was written. */
export class FileChangedError extends Error {
  override readonly name = "FileChangedError";
  constructor(readonly path: string) {
    super(`${path} changed since it was read; it was not overwritten`);
  }
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  // Through a symbolic link, replace the file it points to, not the link.
  const target = await realpath(path).catch(() => path);
  const mode = await stat(target).then((s) => s.mode & 0o7777, () => undefined);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  let file: FileHandle | undefined;
  try {
    file = await open(temp, "wx", mode ?? 0o666);
    // The umask applies to open(); the original's permissions are kept exactly.
    if (mode !== undefined) await file.chmod(mode);
    await (options.write ?? ((handle, bytes) => handle.writeFile(bytes)))(file, data);
    await file.sync();
    await file.close();
    file = undefined;
    if (options.unchanged && !(await holds(target, options.unchanged))) throw new FileChangedError(path);
    await rename(temp, target);
  } catch (error) {
    await file?.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
}

async function holds(path: string, bytes: Uint8Array): Promise<boolean> {
  const current = await readFile(path).catch(() => undefined);
  return current !== undefined && Buffer.compare(current, bytes) === 0;
}
