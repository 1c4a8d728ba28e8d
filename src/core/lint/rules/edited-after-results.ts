// Preregistration: a hypothesis edited after its first result was recorded, with no amendment.
import { editedAfterResults as wasEdited } from "../preregistration";
import { docsPath, type Rule } from "../rule";

export const editedAfterResults: Rule = {
  id: "edited-after-results",
  name: "Hypothesis edited after results were seen",
  severity: "warning",
  fixable: true,
  docs: docsPath("edited-after-results"),
  check(model, report) {
    for (const h of model.hypotheses.values()) {
      const info = model.cells[h.cellIndex];
      if (!wasEdited(model.preregistration, h.id, info.hash)) continue;
      const at = model.preregistration.records[h.id]?.at;
      report(
        h.cellIndex,
        h.parsed.locate(["id"]),
        `${h.id} was edited after results were seen${at ? ` (registered ${at})` : ""}. Revert the edit, or record an amendment saying why it changed.`,
        [{ title: `Record an amendment to ${h.id}`, edits: [{ kind: "record-amendment", hypothesis: h.id, cellIndex: h.cellIndex }] }],
      );
    }
  },
};
