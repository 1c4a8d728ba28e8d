import { writeFileSync } from "node:fs";
import { join } from "node:path";

// A graph model written by hand (what tensorflowjs_converter emits for y = x·W): Placeholder, Const, MatMul.
export function writeGraphModel(dir: string, W: number[][]): void {
  const dim = (...sizes: number[]) => ({ dim: sizes.map((size) => ({ size: String(size) })) });
  const modelTopology = {
    node: [
      { name: "x", op: "Placeholder", attr: { dtype: { type: "DT_FLOAT" }, shape: { shape: dim(-1, 4) } } },
      { name: "W", op: "Const", attr: { dtype: { type: "DT_FLOAT" }, value: { tensor: { dtype: "DT_FLOAT", tensorShape: dim(4, 3) } } } },
      { name: "y", op: "MatMul", input: ["x", "W"], attr: { T: { type: "DT_FLOAT" }, transpose_a: { b: false }, transpose_b: { b: false } } },
    ],
    versions: { producer: 1 },
  };
  const weightsManifest = [{ paths: ["group1-shard1of1.bin"], weights: [{ name: "W", shape: [4, 3], dtype: "float32" }] }];
  writeFileSync(join(dir, "model.json"), JSON.stringify({ format: "graph-model", modelTopology, weightsManifest }));
  writeFileSync(join(dir, "group1-shard1of1.bin"), Buffer.from(new Float32Array(W.flat()).buffer));
}
