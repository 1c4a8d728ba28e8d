import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { test } from "node:test";
import { analyzeStudy, simulateAnswers, study, StudyError, type StudySpec } from "../../../src/core/study";
import { studyHtml, studyPageJson } from "../../../src/core/study/html";
import { pictureDataUrl } from "../../../src/core/study/png";
import { StudyPage } from "../../../src/core/study/schema";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PILOT_FIXTURES, pilotStudy } from "./pilot";

const CHOICES = ["0", "1", "2", "3"];
const digit = (v: number) => [[v, 0], [0, v]];

/** 12 items, two conditions (none, saliency), `participants` sessions. */
function spec(participants: number, seed = 0): StudySpec {
  return {
    id: "toy",
    title: "Predict the model",
    choices: CHOICES,
    conditions: [{ id: "none", label: "no explanation" }, { id: "saliency", label: "saliency map" }],
    items: Array.from({ length: 12 }, (_, i) => ({
      id: `item${i}`,
      stimuli: [{ values: digit(i / 12), alt: `digit ${i}` }],
      answer: CHOICES[i % 4],
      explanations: { saliency: [{ values: [[-1, 1], [0.5, 0]], alt: "saliency", colormap: "diverging" as const }] },
    })),
    participants,
    seed,
  };
}

test("design: every participant sees every item once, conditions rotate across participants and balance within each", () => {
  const s = study(spec(4));
  for (const [p, session] of s.key.sessions.entries()) {
    assert.deepEqual(session.trials.map((t) => t.item).sort(), s.key.items.map((i) => i.id).sort());
    const counts = session.trials.reduce((acc, t) => ({ ...acc, [t.condition]: (acc[t.condition] ?? 0) + 1 }), {} as Record<string, number>);
    assert.deepEqual(counts, { none: 6, saliency: 6 }, `participant ${p}`);
  }
  for (const item of s.key.items) {
    const conditions = s.key.sessions.slice(0, 2).map((session) => session.trials.find((t) => t.item === item.id)!.condition).sort();
    assert.deepEqual(conditions, ["none", "saliency"], `${item.id} appears in both conditions across two consecutive participants`);
  }
  assert.deepEqual(s.key.sessions.map((x) => x.participant), ["P01", "P02", "P03", "P04"]);
  assert.equal(s.chance, 0.25);
});

test("design: orders are shuffled per participant, reproducible from the seed; tokens are unique and blind", () => {
  const a = study(spec(3, 7)), b = study(spec(3, 7)), c = study(spec(3, 8));
  assert.deepEqual(a.key, b.key);
  assert.notDeepEqual(a.key.sessions.map((s) => s.trials.map((t) => t.item)), c.key.sessions.map((s) => s.trials.map((t) => t.item)));
  const orders = a.key.sessions.map((s) => s.trials.map((t) => t.item).join());
  assert.equal(new Set(orders).size, 3);
  const tokens = a.key.sessions.flatMap((s) => s.trials.map((t) => t.token));
  assert.equal(new Set(tokens).size, tokens.length);
  // The page carries no answer, item id or condition name: only tokens and pictures.
  const page = JSON.stringify(a.page);
  for (const word of ["answer", "item0", "saliency map", "no explanation", "\"none\"", "condition"]) assert.ok(!page.includes(word), `the page mentions ${word}`);
  assert.ok(StudyPage.safeParse(a.page).success);
  // The page's trial in a saliency condition shows an explanation, in the control none.
  const first = a.key.sessions[0].trials[0];
  assert.equal(a.page.sessions[0].trials[0].token, first.token);
  assert.equal(a.page.sessions[0].trials[0].explanation.length, first.condition === "saliency" ? 1 : 0);
});

test("design refuses what would make a broken study", () => {
  const invalid = (patch: Partial<StudySpec>, pattern: RegExp) =>
    assert.throws(() => study({ ...spec(2), ...patch }), (e: StudyError) => e instanceof StudyError && e.kind === "invalid-study" && pattern.test(e.message));
  invalid({ choices: ["a", "a"] }, /distinct/);
  invalid({ items: spec(2).items.map((item, i) => (i === 3 ? { ...item, answer: "7" } : item)) }, /item3.*not one of the choices/);
  invalid({ items: spec(2).items.map((item, i) => (i === 0 ? { ...item, explanations: undefined } : item)) }, /11 of 12 items have an explanation/);
  invalid({ conditions: [{ id: "none" }] , items: spec(2).items }, /unknown condition ids: saliency/);
  invalid({ participants: 0 }, /participants/);
});

test("pictures are real PNGs: the decoded pixels are the values on the colour scale", () => {
  const png = Buffer.from(pictureDataUrl({ values: [[0, 0.5], [1, 0.25]], alt: "x" }).split(",")[1], "base64");
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  const idat = png.indexOf("IDAT");
  const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
  // Two rows of [filter byte, RGB, RGB].
  assert.deepEqual([...raw], [0, 0, 0, 0, 128, 128, 128, 0, 255, 255, 255, 64, 64, 64]);
  const diverging = Buffer.from(pictureDataUrl({ values: [[-2, 0, 1]], alt: "map", colormap: "diverging" }).split(",")[1], "base64");
  const at = diverging.indexOf("IDAT");
  assert.deepEqual([...inflateSync(diverging.subarray(at + 4, at + 4 + diverging.readUInt32BE(at - 4)))], [0, 0, 0, 255, 255, 255, 255, 255, 128, 128]);
});

test("the HTML page: no network allowed, the study inside as inert JSON, even with hostile text", () => {
  const hostile = study({ ...spec(2), title: "</script><script>alert(1)</script>", instructions: "<img src=x onerror=alert(1)>" });
  const html = studyHtml(hostile.page);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'; img-src data:;[^"]*script-src 'sha256-[A-Za-z0-9+/=]+'/);
  assert.equal(html.match(/<script/g)?.length, 2, "only the data block and the page's own script");
  assert.ok(!/https?:\/\//.test(html.replace(/<meta[^>]*>/, "")), "no URL anywhere");
  assert.deepEqual(studyPageJson(html), hostile.page);
  assert.match(html, /<title>&#60;\/script&#62;/);
});

/** Answers file of a participant who picks `pick(trial)` on each trial of their session. */
function answersOf(s: ReturnType<typeof study>, p: number, pick: (condition: string, answer: string) => string) {
  const session = s.key.sessions[p];
  const answerOf = new Map(s.key.items.map((i) => [i.id, i.answer]));
  return {
    format: "falsify-study-answers", version: 1, study: s.key.study, participant: session.participant, fields: {}, complete: true,
    answers: session.trials.map((t) => ({ trial: t.token, choice: pick(t.condition, answerOf.get(t.item)!), ms: 1000 })),
  };
}

test("analysis: accuracies, exact binomial against chance, the paired comparison, by hand", () => {
  const s = study(spec(4));
  // Participant p is right on the first (p + 2) saliency trials and the first 2 control trials.
  const answers = s.key.sessions.map((_, p) => {
    const seen: Record<string, number> = { none: 0, saliency: 0 };
    return answersOf(s, p, (condition, answer) => (seen[condition]++ < (condition === "saliency" ? p + 2 : 2) ? answer : answer === "0" ? "1" : "0"));
  });
  const a = analyzeStudy(answers, s, { nResamples: 2000 });
  const none = a.conditions.find((c) => c.id === "none")!, sal = a.conditions.find((c) => c.id === "saliency")!;
  assert.deepEqual([none.correct, none.trials, sal.correct, sal.trials], [8, 24, 2 + 3 + 4 + 5, 24]);
  // P(X ≥ 8), X ~ Binomial(24, 1/4), summed directly.
  const choose = (n: number, k: number) => { let c = 1; for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i; return c; };
  let tail = 0;
  for (let k = 8; k <= 24; k++) tail += choose(24, k) * 0.25 ** k * 0.75 ** (24 - k);
  assert.ok(Math.abs(none.vsChance.p - tail) < 1e-12);
  assert.deepEqual(a.byParticipant.P03, { none: 2 / 6, saliency: 4 / 6 });
  const cmp = a.comparisons[0];
  assert.equal(cmp.condition, "saliency");
  assert.ok(Math.abs(cmp.difference - (0 + 1 + 2 + 3) / 6 / 4) < 1e-12);
  // 4 participants: all 16 sign flips enumerated; differences 0, 1/6, 2/6, 3/6 → only the all-positive and the flip of the zero reach the observed mean.
  assert.equal(cmp.test.exact, true);
  assert.ok(Math.abs(cmp.test.p - 4 / 16) < 1e-12, `${cmp.test.p}`);
  assert.deepEqual(a.incomplete, []);
});

test("analysis: simulated participants recover a real effect (supported) and a null one (not supported)", () => {
  const s = study(spec(24, 3));
  const hypothesis = { id: "H7", test: { kind: "paired-permutation", alternative: "greater" as const, minEffect: 0.1 } };
  const strong = analyzeStudy(simulateAnswers(s, { accuracy: { none: 0.35, saliency: 0.85 }, seed: 1 }), s.key, { hypothesis, nResamples: 2000 });
  assert.equal(strong.verdict?.verdict, "supported", strong.verdict?.reason);
  assert.ok(strong.comparisons[0].difference > 0.35);
  const none = analyzeStudy(simulateAnswers(s, { accuracy: { none: 0.5, saliency: 0.5 }, seed: 2 }), s.key, { hypothesis, nResamples: 2000 });
  assert.notEqual(none.verdict?.verdict, "supported");
  assert.ok(Math.abs(none.comparisons[0].difference) < 0.1);
});

test("analysis refuses answers it cannot score", () => {
  const s = study(spec(2));
  const good = answersOf(s, 0, (_, answer) => answer);
  const kind = (k: string) => (e: StudyError) => e instanceof StudyError && e.kind === k;
  assert.throws(() => analyzeStudy([{ ...good, study: "other" }], s), kind("mismatch"));
  assert.throws(() => analyzeStudy([good, good], s), kind("mismatch"));
  assert.throws(() => analyzeStudy([{ ...good, answers: [{ trial: "ffffffff", choice: "0", ms: 1 }] }], s), kind("mismatch"));
  assert.throws(() => analyzeStudy([{ ...good, format: "something" }], s), kind("invalid-answers"));
  assert.throws(() => analyzeStudy([good], { not: "a key" }), kind("invalid-study"));
  const partial = { ...good, complete: false, answers: good.answers.slice(0, 5) };
  assert.deepEqual(analyzeStudy([partial, answersOf(s, 1, (_, a) => a)], s).incomplete, ["P01"]);
});

test("the e2e's committed pilot study is what study() and studyHtml write today (UPDATE_GOLDEN=1 rewrites it)", () => {
  const pilot = pilotStudy();
  const expected = { "webview-pilot.html": studyHtml(pilot.page), "webview-pilot.key.json": `${JSON.stringify(pilot.key, null, 2)}\n` };
  for (const [name, text] of Object.entries(expected)) {
    const file = join(PILOT_FIXTURES, name);
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, text);
    assert.equal(readFileSync(file, "utf8"), text, `${file} is stale: rerun with UPDATE_GOLDEN=1 and review the diff`);
  }
});
