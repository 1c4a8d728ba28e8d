import { writeFileSync } from "node:fs";
import { join } from "node:path";

// A graph model written by hand (what tensorflowjs_converter emits for y = x·W): Placeholder, Const,
// MatMul; with `imageShape` the input is a batch of images, flattened by a Reshape first.
export function writeGraphModel(dir: string, W: number[][], imageShape?: number[]): void {
  const dim = (...sizes: number[]) => ({ dim: sizes.map((size) => ({ size: String(size) })) });
  const [features, classes] = [W.length, W[0].length];
  const flatten = imageShape
    ? [
        { name: "flat_shape", op: "Const", attr: { dtype: { type: "DT_INT32" }, value: { tensor: { dtype: "DT_INT32", tensorShape: dim(2) } } } },
        { name: "flat", op: "Reshape", input: ["x", "flat_shape"], attr: { T: { type: "DT_FLOAT" }, Tshape: { type: "DT_INT32" } } },
      ]
    : [];
  const modelTopology = {
    node: [
      { name: "x", op: "Placeholder", attr: { dtype: { type: "DT_FLOAT" }, shape: { shape: dim(-1, ...(imageShape ?? [features])) } } },
      ...flatten,
      { name: "W", op: "Const", attr: { dtype: { type: "DT_FLOAT" }, value: { tensor: { dtype: "DT_FLOAT", tensorShape: dim(features, classes) } } } },
      { name: "y", op: "MatMul", input: [imageShape ? "flat" : "x", "W"], attr: { T: { type: "DT_FLOAT" }, transpose_a: { b: false }, transpose_b: { b: false } } },
    ],
    versions: { producer: 1 },
  };
  // Constants live in the weight shard (the converter's layout), the flattening shape after W.
  const weights = [{ name: "W", shape: [features, classes], dtype: "float32" }, ...(imageShape ? [{ name: "flat_shape", shape: [2], dtype: "int32" }] : [])];
  writeFileSync(join(dir, "model.json"), JSON.stringify({ format: "graph-model", modelTopology, weightsManifest: [{ paths: ["group1-shard1of1.bin"], weights }] }));
  const shard = [Buffer.from(new Float32Array(W.flat()).buffer), ...(imageShape ? [Buffer.from(new Int32Array([-1, features]).buffer)] : [])];
  writeFileSync(join(dir, "group1-shard1of1.bin"), Buffer.concat(shard));
}
