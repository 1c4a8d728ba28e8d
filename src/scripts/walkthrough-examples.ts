// The walkthrough's page of worked examples (media/walkthrough/examples.md), made from the notebooks in
// examples/: each one's number and the heading of its first markdown cell. It said "Four worked
// examples" long after there were nine; now a new example is listed by `npm run docs`, and
// test/unit/walkthrough.test.ts fails while the page is stale.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseNotebook } from "../core/format";

export const EXAMPLES_DIR = join(__dirname, "..", "..", "examples");
export const WALKTHROUGH_EXAMPLES = join(__dirname, "..", "..", "media", "walkthrough", "examples.md");

/** The examples, by file name, with the title their first markdown cell gives them. */
export function workedExamples(dir = EXAMPLES_DIR): { file: string; number: number; title: string }[] {
  return readdirSync(dir)
    .filter((file) => /^\d\d-.*\.falsify$/.test(file))
    .sort()
    .map((file) => {
      const parsed = parseNotebook(readFileSync(join(dir, file), "utf8"));
      if (!parsed.ok) throw new Error(`examples/${file}: ${parsed.error.message}`);
      const heading = parsed.notebook.cells.find((cell) => cell.kind === "markdown")?.source.match(/^#\s+(.+)$/m)?.[1];
      if (!heading) throw new Error(`examples/${file} has no markdown heading to list it by`);
      return { file, number: Number(file.slice(0, 2)), title: heading.trim() };
    });
}

export function examplesPage(examples = workedExamples()): string {
  return `# The ${examples.length} worked examples

Each is a real study that runs offline, seeded, and decides its hypotheses with the tests it declared up front: on the
digits data set (8x8 handwritten digits) and the small models that ship with Falsify, and, in the last ones, on a
pretrained MobileNetV2 and an ONNX ResNet.

${examples.map((e) => `${e.number}. **${e.title}** (\`${e.file}\`)`).join("\n")}

If your workspace already holds the examples (a clone of the repository, or \`npm run vscode\`), they open from there;
otherwise they are copied to \`~/falsify-examples\` first.
`;
}
