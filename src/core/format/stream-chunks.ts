// Console output arrives in chunks. The kernel client merges a run's chunks into one item per
// stretch of one stream, but VS Code keeps each chunk it was given as an item of its own (and may
// regroup them); the file keeps the merged form, so what is saved, and the hash a run records of its
// outputs, do not depend on how the text was chunked on its way.
import { MIME } from "../display";
import type { OutputItem } from "./schema";

const STREAMS: readonly string[] = [MIME.stdout, MIME.stderr];

/** The items with each run of consecutive text chunks of one stream joined into one item. */
export function mergeStreamChunks(items: readonly OutputItem[]): OutputItem[] {
  const merged: OutputItem[] = [];
  for (const item of items) {
    const last = merged[merged.length - 1];
    const joins = last && STREAMS.includes(item.mime) && last.mime === item.mime && typeof last.data === "string" && typeof item.data === "string" && !last.encoding && !item.encoding;
    if (joins) merged[merged.length - 1] = { ...last, data: `${last.data as string}${item.data as string}` };
    else merged.push(item);
  }
  return merged;
}
