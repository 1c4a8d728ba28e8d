// The three documents of a human forward-prediction study, one zod schema each:
// - StudyPage: what participants get (embedded in the HTML study and read back by "Falsify: Take
//   Study"): instructions, choices, and per participant the blinded trials. It holds no answer and
//   no condition name, so a curious participant learns nothing from the page source.
// - StudyKey: what the author keeps: which item and condition each trial token stands for, and the
//   model's answer to each item. analyzeStudy scores answers with it.
// - StudyAnswers: what a participant saves: their code, their choices and response times per trial
//   token, and the author's optional fields. Nothing else (no time of day, no browser, no name).
// A study file from someone else is untrusted: every text is shown as text, images are PNG data
// URLs only, and sizes are bounded.
import { z } from "zod";

export const STUDY_VERSION = 1;

const Text = z.string().max(10_000);
const Id = z.string().min(1).max(200);
/** Base64 PNG data URLs only: no other scheme can reach the network or run code. */
const PngDataUrl = z.string().max(4_000_000).regex(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/, "a base64 PNG data URL");

export const StudyImage = z.object({
  src: PngDataUrl,
  alt: Text.min(1),
  caption: Text.optional(),
  /** Display width in CSS pixels. */
  width: z.number().int().min(16).max(1024),
});
export type StudyImage = z.infer<typeof StudyImage>;

export const StudyField = z.object({ id: Id, label: Text.min(1) });
export type StudyField = z.infer<typeof StudyField>;

export const StudyTrial = z.object({
  token: Id,
  stimuli: z.array(Id).min(1).max(8),
  /** Image ids of the explanation shown with the stimuli; empty in a no-explanation condition. */
  explanation: z.array(Id).max(8),
});
export type StudyTrial = z.infer<typeof StudyTrial>;

export const StudyPage = z.object({
  format: z.literal("falsify-study"),
  version: z.literal(STUDY_VERSION),
  id: Id,
  title: Text.min(1),
  instructions: Text,
  question: Text.min(1),
  choices: z.array(Text.min(1).max(100)).min(2).max(36),
  fields: z.array(StudyField).max(20),
  images: z.record(Id, StudyImage),
  sessions: z.array(z.object({ participant: Id, trials: z.array(StudyTrial).min(1).max(2000) })).min(1).max(10_000),
});
export type StudyPage = z.infer<typeof StudyPage>;

export const StudyKey = z.object({
  format: z.literal("falsify-study-key"),
  version: z.literal(STUDY_VERSION),
  study: Id,
  seed: z.number(),
  choices: z.array(z.string()),
  conditions: z.array(z.object({ id: Id, label: Text, explained: z.boolean() })).min(1),
  /** The model's answer to each item: what a participant must predict. */
  items: z.array(z.object({ id: Id, answer: z.string() })).min(1),
  sessions: z.array(z.object({ participant: Id, trials: z.array(z.object({ token: Id, item: Id, condition: Id })) })),
});
export type StudyKey = z.infer<typeof StudyKey>;

export const StudyAnswers = z.object({
  format: z.literal("falsify-study-answers"),
  version: z.literal(STUDY_VERSION),
  study: Id,
  participant: Id,
  fields: z.record(Id, Text),
  answers: z.array(z.object({ trial: Id, choice: Text, ms: z.number().min(0) })).max(2000),
  complete: z.boolean(),
});
export type StudyAnswers = z.infer<typeof StudyAnswers>;
