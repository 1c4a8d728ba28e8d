// A run's outputs as the file keeps them. Console output arrives in chunks: the kernel client adds
// each to the run's outputs (addOutput), VS Code keeps each chunk it was given as an item of its own
// (mergeStreamChunks when saving); both join consecutive chunks of one stream by the same rule, so
// what is saved, and the hash a run records of its outputs (outputsHash), do not depend on how the
// text was chunked on its way.
import { MIME } from "../display";
import { canonicalJson } from "../export/results";
import { sourceHash } from "../hash";
import type { Output, OutputItem } from "./schema";

const STREAMS: readonly string[] = [MIME.stdout, MIME.stderr];

/** The items with each run of consecutive text chunks of one stream joined into one item. */
export function mergeStreamChunks(items: readonly OutputItem[]): OutputItem[] {
  const merged: OutputItem[] = [];
  for (const item of items) {
    const last = merged[merged.length - 1];
    if (last && continues(last, item)) merged[merged.length - 1] = joined(last, item);
    else merged.push(item);
  }
  return merged;
}

/**
 * Adds one output of a run (as the kernel sent it) to the run's outputs: a console chunk that
 * continues the last output's stream joins it. Returns the index of the output it went into.
 */
export function addOutput(outputs: Output[], output: Output): number {
  const last = outputs[outputs.length - 1];
  const [item] = output.items;
  if (last?.items.length === 1 && output.items.length === 1 && continues(last.items[0], item)) {
    outputs[outputs.length - 1] = { ...last, items: [joined(last.items[0], item)] };
  } else {
    outputs.push(output);
  }
  return outputs.length - 1;
}

/** The hash a run records in `execution.outputsHash`, so a hand edit of the outputs shows. */
export function outputsHash(outputs: readonly Output[]): string {
  return sourceHash(JSON.stringify(canonicalJson(outputs)));
}

/** `item` is a text chunk of the stream `last` is a text chunk of. */
function continues(last: OutputItem, item: OutputItem): boolean {
  return STREAMS.includes(item.mime) && last.mime === item.mime && typeof last.data === "string" && typeof item.data === "string" && !last.encoding && !item.encoding;
}

function joined(last: OutputItem, item: OutputItem): OutputItem {
  return { ...last, data: `${last.data as string}${item.data as string}` };
}
