// A forward-prediction study from a notebook (Leavitt & Morcos's 4th recommendation; Hase & Bansal
// 2020): each item is an input the model answered (and, per condition, an explanation of that
// answer, or none: the control); a participant sees the input (and the explanation of their
// condition) and predicts the model's answer. For units the same shape asks "which of these two
// images activates the unit more?" (two stimuli, choices "left" / "right").
//
// Design: every participant sees every item once. Conditions are counterbalanced by rotation
// (participant p sees item i in condition (i + p) mod C), so across C consecutive participants each
// item appears in every condition and each participant sees every condition equally often (exactly
// when the number of items is a multiple of C). Trial order is shuffled per participant from the
// seed; trials carry random tokens, so neither the order nor the page source tells a participant the
// condition or the answer (those live in the author's StudyKey).
import { createRng } from "../stats/rng";
import { type Picture, pictureDataUrl } from "./png";
import { STUDY_VERSION, type StudyField, type StudyImage, type StudyKey, type StudyPage } from "./schema";

export interface StudyItemSpec {
  id: string;
  /** What the participant sees: the input (or, for a unit, the two images to compare). */
  stimuli: Picture[];
  /** The model's answer, one of `choices`: what the participant must predict. */
  answer: string;
  /** Per explained condition id, the explanation shown with the stimuli. */
  explanations?: Record<string, Picture[]>;
}

export interface StudyCondition {
  id: string;
  /** For the author's reports, never shown to participants. Default: the id. */
  label?: string;
}

export interface StudySpec {
  id: string;
  title?: string;
  instructions?: string;
  /** Default "What will the model predict?". */
  question?: string;
  choices: string[];
  items: StudyItemSpec[];
  /** A condition is explained when the items carry explanations under its id; the others show none (the control). */
  conditions: StudyCondition[];
  /** How many participant sessions to prepare (codes P01, P02, ...). */
  participants: number;
  /** Extra questions for participants (free text). Whatever they ask is stored in the answers: ask nothing identifying unless you must. */
  fields?: StudyField[];
  seed?: number;
}

export interface Study {
  page: StudyPage;
  key: StudyKey;
  /** 1 / number of choices: the accuracy of guessing. */
  chance: number;
}

export class StudyError extends Error {
  override readonly name = "StudyError";
  constructor(
    readonly kind: "invalid-study" | "invalid-answers" | "mismatch",
    message: string,
  ) {
    super(message);
  }
}

/** Builds the participants' page and the author's key of a forward-prediction study. */
export function study(spec: StudySpec): Study {
  check(spec);
  const seed = spec.seed ?? 0;
  const rng = createRng(seed);
  const images: Record<string, StudyImage> = {};
  const image = (picture: Picture): string => {
    const id = `i${Object.keys(images).length}`;
    images[id] = { src: pictureDataUrl(picture), alt: picture.alt, width: picture.width ?? 192, ...(picture.caption ? { caption: picture.caption } : {}) };
    return id;
  };
  const explained = (condition: string) => spec.items.some((item) => item.explanations?.[condition]);
  const stimuli = spec.items.map((item) => item.stimuli.map(image));
  const explanations = spec.items.map((item) => Object.fromEntries(spec.conditions.filter((c) => explained(c.id)).map((c) => [c.id, item.explanations![c.id].map(image)])));
  const digits = String(spec.participants).length;
  const tokens = new Set<string>();
  const token = () => {
    for (;;) {
      const t = rng.uint32().toString(16).padStart(8, "0");
      if (!tokens.has(t)) return tokens.add(t), t;
    }
  };
  const sessions = Array.from({ length: spec.participants }, (_, p) => {
    const participant = `P${String(p + 1).padStart(Math.max(2, digits), "0")}`;
    const order = rng.fork(participant).permutation(spec.items.length);
    const trials = Array.from(order, (i) => ({ token: token(), item: i, condition: spec.conditions[(i + p) % spec.conditions.length].id }));
    return { participant, trials };
  });
  const page: StudyPage = {
    format: "falsify-study",
    version: STUDY_VERSION,
    id: spec.id,
    title: spec.title ?? spec.id,
    instructions: spec.instructions ?? "",
    question: spec.question ?? "What will the model predict?",
    choices: [...spec.choices],
    fields: spec.fields ?? [],
    images,
    sessions: sessions.map(({ participant, trials }) => ({
      participant,
      trials: trials.map((t) => ({ token: t.token, stimuli: stimuli[t.item], explanation: explanations[t.item][t.condition] ?? [] })),
    })),
  };
  const key: StudyKey = {
    format: "falsify-study-key",
    version: STUDY_VERSION,
    study: spec.id,
    seed,
    choices: [...spec.choices],
    conditions: spec.conditions.map((c) => ({ id: c.id, label: c.label ?? c.id, explained: explained(c.id) })),
    items: spec.items.map((item) => ({ id: item.id, answer: item.answer })),
    sessions: sessions.map(({ participant, trials }) => ({ participant, trials: trials.map((t) => ({ token: t.token, item: spec.items[t.item].id, condition: t.condition })) })),
  };
  return { page, key, chance: 1 / spec.choices.length };
}

function check(spec: StudySpec): void {
  const fail = (message: string) => {
    throw new StudyError("invalid-study", message);
  };
  if (!spec.id) fail("a study needs an id");
  if (new Set(spec.choices).size !== spec.choices.length || spec.choices.length < 2) fail(`choices must be at least 2 distinct answers, got ${JSON.stringify(spec.choices)}`);
  if (!spec.items.length) fail("a study needs at least one item");
  if (!spec.conditions.length) fail("a study needs at least one condition (e.g. [{ id: \"none\" }, { id: \"saliency\" }])");
  if (new Set(spec.conditions.map((c) => c.id)).size !== spec.conditions.length) fail("condition ids must be distinct");
  if (!(Number.isInteger(spec.participants) && spec.participants >= 1)) fail(`participants must be a positive integer, got ${spec.participants}`);
  const ids = new Set<string>();
  for (const item of spec.items) {
    if (ids.has(item.id)) fail(`item id "${item.id}" is used twice`);
    ids.add(item.id);
    if (!spec.choices.includes(item.answer)) fail(`item "${item.id}": answer ${JSON.stringify(item.answer)} is not one of the choices`);
    if (!item.stimuli.length) fail(`item "${item.id}" shows nothing: give it at least one stimulus picture`);
  }
  for (const c of spec.conditions) {
    const having = spec.items.filter((item) => item.explanations?.[c.id]).length;
    if (having && having !== spec.items.length) fail(`condition "${c.id}": ${having} of ${spec.items.length} items have an explanation; every item needs one (or none, for a control condition)`);
  }
  const unknown = spec.items.flatMap((item) => Object.keys(item.explanations ?? {})).filter((id) => !spec.conditions.some((c) => c.id === id));
  if (unknown.length) fail(`explanations under unknown condition ids: ${[...new Set(unknown)].join(", ")}`);
}
