// Preregistration, in the spirit of OSF/AsPredicted: when a hypothesis first gets a result, the hash
// of its cell is recorded in the notebook metadata. Editing the hypothesis afterwards is flagged
// ("edited after results were seen") until the author records an amendment with a reason. The
// amendment log is append-only: amendments are never rewritten, only added.
//
// Layout in `notebook.metadata.preregistration`:
//   { records: { H1: { hash, cellId, at } }, amendments: [{ hypothesis, from, to, reason, at }] }
import { z } from "zod";
import type { Metadata } from "../format";

export const PREREGISTRATION_KEY = "preregistration";

const Record_ = z.looseObject({ hash: z.string(), cellId: z.string().optional(), at: z.string().optional() });
const Amendment = z.looseObject({ hypothesis: z.string(), from: z.string(), to: z.string(), reason: z.string(), at: z.string().optional() });
const Preregistration = z.looseObject({
  records: z.record(z.string(), Record_).default({}),
  amendments: z.array(Amendment).default([]),
});
export type Preregistration = z.infer<typeof Preregistration>;
export type Amendment = z.infer<typeof Amendment>;

/** The notebook's preregistration log; an absent or hand-mangled one reads as empty. */
export function preregistrationOf(metadata: Metadata | undefined): Preregistration {
  const parsed = Preregistration.safeParse(metadata?.[PREREGISTRATION_KEY] ?? {});
  return parsed.success ? parsed.data : { records: {}, amendments: [] };
}

/** The hash the hypothesis is held to now: the recorded one, or the target of its latest amendment. */
export function registeredHash(log: Preregistration, hypothesis: string): string | undefined {
  const record = log.records[hypothesis];
  if (!record) return undefined;
  const amendments = log.amendments.filter((a) => a.hypothesis === hypothesis);
  return amendments.length ? amendments[amendments.length - 1].to : record.hash;
}

/** Whether the hypothesis cell (with `currentHash`) differs from what was registered before results. */
export function editedAfterResults(log: Preregistration, hypothesis: string, currentHash: string): boolean {
  const registered = registeredHash(log, hypothesis);
  return registered !== undefined && registered !== currentHash;
}

/** New metadata with the hypothesis registered at its first result, or undefined if it already was. */
export function recordFirstResult(metadata: Metadata, hypothesis: string, hash: string, cellId: string, now: Date): Metadata | undefined {
  const log = preregistrationOf(metadata);
  if (log.records[hypothesis]) return undefined;
  const records = { ...log.records, [hypothesis]: { hash, cellId, at: now.toISOString() } };
  return { ...metadata, [PREREGISTRATION_KEY]: { ...log, records } };
}

/** New metadata with an amendment appended: the hypothesis is now held to `hash`, for `reason`. */
export function recordAmendment(metadata: Metadata, hypothesis: string, hash: string, reason: string, now: Date): Metadata {
  const log = preregistrationOf(metadata);
  const from = registeredHash(log, hypothesis) ?? hash;
  const amendment: Amendment = { hypothesis, from, to: hash, reason: reason.trim(), at: now.toISOString() };
  return { ...metadata, [PREREGISTRATION_KEY]: { ...log, amendments: [...log.amendments, amendment] } };
}
