// The shipped digits MLP and the first rows of the digits CSV, as test/reference/interp's generator
// used them; refuses to compare against a fixture made from different weights.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { loadModel, readDigitsTable } from "../../../src/core/data";

const FOLDER = "examples/digits/models/mlp";

export async function digitsMlpInputs(fixture: { rows: number; weights_sha256: string }) {
  const sha = createHash("sha256").update(readFileSync(`${FOLDER}/weights.bin`)).digest("hex");
  if (sha !== fixture.weights_sha256) {
    throw new Error(`${FOLDER}/weights.bin changed since the fixture was made; rerun python3 test/reference/interp/generate_representations.py`);
  }
  const loaded = await loadModel(`${FOLDER}/model.json`);
  if (loaded.kind !== "layers") throw new Error("the digits MLP should be a layers model");
  const table = readDigitsTable("examples/digits/digits.csv.gz");
  const x = tf.tensor4d(table.pixels.subarray(0, fixture.rows * 64), [fixture.rows, 8, 8, 1]);
  return { model: loaded.model, x, labels: table.labels.subarray(0, fixture.rows) };
}
