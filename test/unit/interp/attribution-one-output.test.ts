// Models and score functions with one output (a regression, a logit, a probe's score): attribution
// explains that score, instead of failing in tfjs' oneHot ("depth must be >= 2"). References: Captum's
// BasicModel2 closed form, and a linear regression's exact gradient and IG.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { gradient, integratedGradients, smoothGrad } from "../../../src/core/interp/attribution";
import { testTf } from "../../support/tf";
import { assertClose } from "./reference";

before(() => testTf());

/**
 * Captum's BasicModel2, f(x1, x2) = relu(relu(x1) − 1 − relu(x2)), as one input [x1, x2]. Along the
 * path α·(3, 1) from 0, f = relu(2α − 1): the gradient is (1, −1) for α > ½ and 0 below, so
 * IG = (3·½, −1·½) = (1.5, −0.5), and f(3, 1) − f(0, 0) = 1.
 */
const basicModel2 = (x: tf.Tensor): tf.Tensor => {
  const [x1, x2] = tf.split(x, 2, 1);
  return tf.relu(tf.sub(tf.sub(tf.relu(x1), 1), tf.relu(x2))).reshape([-1]);
};

test("Captum's BasicModel2 (one score per example): gradient (1, −1), IG (1.5, −0.5), SmoothGrad with σ = 0 is the gradient", async () => {
  const x = tf.tensor2d([[3, 1]]);
  const g = await gradient(basicModel2, x);
  assertClose(g.values, [1, -1], 1e-6, "gradient");
  assert.deepEqual(Array.from(g.targets), [0]);
  // The kink at α = ½ costs quadrature accuracy: a midpoint rule with an even number of steps has no node on it.
  const ig = await integratedGradients(basicModel2, x, { steps: 200, rule: "riemann-middle" });
  assertClose(ig.values, [1.5, -0.5], 1e-5, "IG");
  assert.ok(ig.completeness!.maxAbsGap < 1e-5, `completeness gap ${ig.completeness!.maxAbsGap}`);
  const column = (input: tf.Tensor) => basicModel2(input).expandDims(1);
  assertClose((await integratedGradients(column, x, { steps: 200, rule: "riemann-middle" })).values, [1.5, -0.5], 1e-5, "IG of a [batch, 1] score");
  assertClose((await smoothGrad(basicModel2, x, { sigma: 0, samples: 3 })).values, [1, -1], 1e-6, "SmoothGrad");
  x.dispose();
});

test("one-output layers models (regressions), as a layer chain and as a graph of layers: gradient = w and IG = x ⊙ w exactly", async () => {
  const [u, v] = [[0.5, -2, 3], [1, 1, -1]];
  const w = u.map((ui, i) => ui + v[i]);
  const dense = (weights: number[], bias: number) => tf.layers.dense({ units: 1, weights: [tf.tensor2d(weights, [3, 1]), tf.tensor1d([bias])] });
  // f(x) = w·x + 0.25, once as one Dense layer, once as two Dense branches added (no layer chain).
  const chain = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 1, weights: [tf.tensor2d(w, [3, 1]), tf.tensor1d([0.25])] })] });
  const input = tf.input({ shape: [3] });
  const branches = tf.layers.add().apply([dense(u, 0.25).apply(input), dense(v, 0).apply(input)] as tf.SymbolicTensor[]) as tf.SymbolicTensor;
  const graph = tf.model({ inputs: input, outputs: branches });
  const xs = [[1, 2, 3], [-1, 0, 4]];
  const x = tf.tensor2d(xs);
  for (const [name, model] of [["chain", chain], ["graph", graph]] as const) {
    assertClose((await gradient(model, x)).values, [...w, ...w], 1e-6, `${name}: gradient`);
    const ig = await integratedGradients(model, x, { steps: 4 });
    assertClose(ig.values, xs.flatMap((row) => row.map((value, i) => value * w[i])), 1e-5, `${name}: IG`);
    assertClose(ig.scores, xs.map((row) => row.reduce((sum, value, i) => sum + value * w[i], 0.25)), 1e-5, `${name}: scores`);
    model.dispose();
  }
  x.dispose();
});
