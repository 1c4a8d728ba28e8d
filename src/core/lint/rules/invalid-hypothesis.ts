// A hypothesis cell that does not validate (YAML syntax, unknown field, wrong type, duplicate id).
import { rawHypothesisId } from "../../hypothesis";
import { docsPath, firstLine, type Rule } from "../rule";

export const invalidHypothesis: Rule = {
  id: "invalid-hypothesis",
  name: "Invalid hypothesis cell",
  severity: "error",
  fixable: false,
  docs: docsPath("invalid-hypothesis"),
  check(model, report) {
    for (const info of model.cells) {
      if (info.facts.kind !== "hypothesis") continue;
      const parsed = info.facts.parsed;
      for (const error of parsed.errors) report(info.index, error.range, error.message);
      const id = rawHypothesisId(parsed);
      const owner = id === undefined ? undefined : model.hypotheses.get(id);
      if (owner && owner.cellIndex !== info.index) {
        const range = parsed.errors.length ? firstLine(info.cell.source) : parsed.locate(["id"]);
        report(info.index, range, `Duplicate hypothesis id \`${id}\`: cell ${owner.cellIndex + 1} declares it too. Give this one its own id.`);
      }
    }
  },
};
