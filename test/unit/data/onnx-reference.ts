// The ONNX fixtures of test/reference/models (made by generate_onnx.py) with ONNX Runtime's outputs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";

export interface OnnxCase {
  file: string;
  inputShape: number[];
  input: number[];
  outputShape: number[];
  output: number[];
}

export const REFERENCE_DIR = join("test", "reference", "models");
export const ONNX_REFERENCE = JSON.parse(readFileSync(join(REFERENCE_DIR, "onnx.json"), "utf8")) as { cases: Record<string, OnnxCase> };

export function fixturePath(file: string): string {
  return join(REFERENCE_DIR, file);
}

/** An NCHW array as the NHWC tensor the imported model takes (other ranks as they are). */
export function toTfjsLayout(values: number[], shape: number[]): tf.Tensor {
  const t = tf.tensor(values, shape);
  if (shape.length !== 4) return t;
  const nhwc = tf.transpose(t, [0, 2, 3, 1]);
  t.dispose();
  return nhwc;
}
