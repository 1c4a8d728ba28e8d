// The support tables users read (media/docs/models.md) are generated from the importers' own tables;
// this fails when the file and the code disagree (regenerate: npx tsx src/scripts/generate-model-docs.ts).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { modelSupportMarkdown } from "../../../src/core/data/support";
import { SUPPORTED_OPS } from "../../../src/core/data/onnx";
import { kerasLayerClasses } from "../../../src/core/data/keras/config";

test("media/docs/models.md is what the op and layer tables generate", () => {
  assert.equal(readFileSync("media/docs/models.md", "utf8"), modelSupportMarkdown());
});

test("the tables list every supported ONNX op and Keras layer class", () => {
  const doc = modelSupportMarkdown();
  for (const op of SUPPORTED_OPS) assert.match(doc, new RegExp(`^\\| \`${op}\` \\|`, "m"), op);
  for (const layer of ["Conv2D", "DepthwiseConv2D", "BatchNormalization", "LSTM", "GRU", "Embedding"]) assert.ok(kerasLayerClasses().includes(layer), layer);
  assert.ok(!kerasLayerClasses().includes("Functional") && !kerasLayerClasses().includes("FalsifyOnnxOp"));
});
