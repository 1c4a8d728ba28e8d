// The one tfjs instance of a test process, on the best backend that loads (tfjs-node on CI, where
// `npm run setup:native` builds it). Tests that need tensors call `await testTf()`.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { loadTensorFlow, type LoadedTf } from "../../src/core/backend";

export function testTf(): Promise<LoadedTf> {
  return loadTensorFlow({ searchFrom: [process.cwd()] });
}

/** Runs `fn` and asserts it leaves no tensor behind. */
export async function noLeak<T>(fn: () => Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  assert.equal(tf.memory().numTensors, before, "tensors leaked");
  return result;
}
