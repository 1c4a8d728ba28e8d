// "New Falsify Notebook": the smallest notebook that shows the intended shape of the work.
import { newCellId } from "./cell-id";
import { CELL_LANGUAGES, FORMAT_VERSION, type Notebook } from "./schema";

const HYPOTHESIS = `id: H1
claim: Units with high class selectivity are necessary for the network's accuracy.
prediction: Ablating the 10 most selective units lowers test accuracy more than ablating 10 random units.
null: Accuracy drops by the same amount whichever 10 units are ablated.
intervention: ablation
baselines:
  - name: random-units
    description: The same number of units, drawn at random (100 draws).
metric: drop in test accuracy
test:
  kind: permutation
  alternative: greater
  alpha: 0.05
`;

const CODE = `// @hypothesis H1
const x = tf.tensor([1, 2, 3]);
x.square().sum();
`;

const MARKDOWN = `## Notes
State what you expect before you look at the numbers.`;

export function notebookTemplate(): Notebook {
  const ids = new Set<string>();
  const id = () => {
    const value = newCellId(ids);
    ids.add(value);
    return value;
  };
  return {
    format: "falsify",
    version: FORMAT_VERSION,
    metadata: { seed: 42 },
    cells: [
      { id: id(), kind: "code", language: CELL_LANGUAGES.hypothesis, source: HYPOTHESIS, metadata: {}, outputs: [] },
      { id: id(), kind: "code", language: CELL_LANGUAGES.code, source: CODE, metadata: {}, outputs: [] },
      { id: id(), kind: "markdown", language: CELL_LANGUAGES.markdown, source: MARKDOWN, metadata: {}, outputs: [] },
    ],
  };
}
