import assert from "node:assert/strict";
import { test } from "node:test";
import { editedAfterResults, preregistrationOf, recordAmendment, recordFirstResult } from "../../../src/core/lint";

const now = new Date("2026-11-23T12:00:00Z");

test("the first result registers the hypothesis once; later results do not move the record", () => {
  const first = recordFirstResult({ seed: 1 }, "H1", "aaaa", "cell-1", now);
  assert.ok(first);
  assert.equal(first.seed, 1);
  assert.deepEqual(preregistrationOf(first).records.H1, { hash: "aaaa", cellId: "cell-1", at: "2026-11-23T12:00:00.000Z" });
  assert.equal(recordFirstResult(first, "H1", "bbbb", "cell-1", now), undefined);
});

test("an edit is flagged until an amendment targets exactly the current text; the log only grows", () => {
  const registered = recordFirstResult({}, "H1", "aaaa", "c", now)!;
  const log = () => preregistrationOf(amended);
  assert.equal(editedAfterResults(preregistrationOf(registered), "H1", "aaaa"), false);
  assert.equal(editedAfterResults(preregistrationOf(registered), "H1", "bbbb"), true);
  let amended = recordAmendment(registered, "H1", "bbbb", "  fixed a typo in the null ", now);
  assert.equal(editedAfterResults(log(), "H1", "bbbb"), false);
  assert.deepEqual(log().amendments, [{ hypothesis: "H1", from: "aaaa", to: "bbbb", reason: "fixed a typo in the null", at: "2026-11-23T12:00:00.000Z" }]);
  assert.equal(editedAfterResults(log(), "H1", "cccc"), true, "a further edit needs a further amendment");
  amended = recordAmendment(amended, "H1", "cccc", "second change", now);
  assert.deepEqual(log().amendments.map((a) => [a.from, a.to]), [["aaaa", "bbbb"], ["bbbb", "cccc"]]);
});

test("unregistered hypotheses and mangled metadata are never flagged", () => {
  assert.equal(editedAfterResults(preregistrationOf({}), "H1", "x"), false);
  assert.deepEqual(preregistrationOf({ preregistration: "garbage" }), { records: {}, amendments: [] });
});
