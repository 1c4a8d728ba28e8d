// A 50 MB notebook (mostly outputs) must parse and serialize well under a second. Baseline: plain
// JSON.parse / JSON.stringify of the same text, the floor any JSON format can reach.
import { parseNotebook, serializeNotebook, type Notebook } from "../../src/core/format";
import { medianMs, type Benchmark } from "./harness";

function bigNotebook(targetBytes: number): string {
  const cells: Notebook["cells"] = [];
  const png = Buffer.alloc(48_000, 7).toString("base64");
  for (let i = 0; JSON.stringify(cells).length < targetBytes; i++) {
    const values = Array.from({ length: 500 }, (_, k) => ({ x: k, y: Math.sin(i + k), label: `digit ${k % 10}` }));
    cells.push({
      id: `c${i}`,
      kind: "code",
      language: "typescript",
      source: `const x${i} = await model.predict(batch);\nx${i};\n`,
      metadata: {},
      outputs: [
        { items: [{ mime: "application/vnd.vegalite.v5+json", data: { data: { values }, mark: "point" } }] },
        { items: [{ mime: "image/png", encoding: "base64", data: png }] },
      ],
    });
  }
  return serializeNotebook({ format: "falsify", version: 1, metadata: {}, cells });
}

export const benchmarks: Benchmark[] = [
  {
    id: "format.50MB",
    async run() {
      const text = bigNotebook(50_000_000);
      const parsed = parseNotebook(text);
      if (!parsed.ok) throw new Error("benchmark notebook did not parse");
      const mb = `${(text.length / 1e6).toFixed(0)} MB`;
      const raw = JSON.parse(text);
      return [
        {
          subject: { name: "parseNotebook", value: await medianMs(() => parseNotebook(text), 5, 1), unit: "ms" },
          baseline: { name: "JSON.parse", value: await medianMs(() => JSON.parse(text), 5, 1), unit: "ms" },
          target: "< 1000 ms",
          note: mb,
        },
        {
          subject: { name: "serializeNotebook", value: await medianMs(() => serializeNotebook(parsed.notebook), 5, 1), unit: "ms" },
          baseline: { name: "JSON.stringify(_, null, 2)", value: await medianMs(() => JSON.stringify(raw, null, 2), 5, 1), unit: "ms" },
          target: "< 1000 ms",
          note: mb,
        },
      ];
    },
  },
];
