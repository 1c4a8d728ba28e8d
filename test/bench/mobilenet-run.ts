// One case of test/bench/mobilenet.bench.ts on our side, alone in its process (its peak RSS is its
// own): runs it once to warm up, times a second run, prints {"ms", "rssMb", "backend"}.
//   node --import tsx test/bench/mobilenet-run.ts <case>
import * as tf from "@tensorflow/tfjs";
import { loadTensorFlow } from "../../src/core/backend";
import { gradient, integratedGradients, smoothGrad } from "../../src/core/interp/attribution";
import { resolveTargets, scoredModel } from "../../src/core/interp/attribution/scores";
import { explainer, randomizationBlocks, randomizedCopy } from "../../src/core/interp/sanity";
import { loadNsfwModel } from "../support/nsfw";

void (async () => {
  const kase = process.argv[2];
  const { backend } = await loadTensorFlow();
  const model = await loadNsfwModel("mobilenet_v2");
  const n = kase.endsWith("-8") ? 8 : 1;
  const x = tf.tidy(() => {
    const [h, w, c] = [tf.range(0, 224).reshape([224, 1, 1]), tf.range(0, 224).reshape([1, 224, 1]), tf.range(0, 3).reshape([1, 1, 3])];
    const phase = tf.add(tf.add(tf.mul(tf.mul(h, 0.031), tf.add(c, 1)), tf.mul(w, 0.047)), c);
    return tf.stack(Array.from({ length: n }, (_, i) => tf.add(0.5, tf.mul(0.45, tf.sin(tf.add(phase, i))))));
  });
  const run = kase.startsWith("cascade")
    ? cascadingStep(model, x)
    : () => (kase.startsWith("ig") ? integratedGradients(model, x, { steps: 50, target: 0 }) : kase.startsWith("gradient") ? gradient(model, x, { target: 0 }) : smoothGrad(model, x, { samples: 50, sigma: 0.15, target: 0 }));
  await run();
  const start = performance.now();
  await run();
  const ms = performance.now() - start;
  console.log(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, backend }));
})();

/**
 * One step of sanityCheck's cascading randomisation, the first: the top block (the head, dense_1..3,
 * as example 08 groups the layers) re-initialised in a copy of the model, and the gradient maps of
 * the same images for the classes the trained model predicts. Timed: the copy, its re-initialisation
 * and the gradient (what the step costs inside sanityCheck); the targets are resolved once, before.
 */
function cascadingStep(loaded: Awaited<ReturnType<typeof loadNsfwModel>>, x: tf.Tensor): () => Promise<unknown> {
  if (loaded.kind !== "layers") throw new Error("mobilenet_v2 should be a layers model");
  const trained = loaded.model;
  const [top] = randomizationBlocks(trained, /^dense/).reverse();
  const targets = resolveTargets(scoredModel(trained), x);
  const explain = explainer("gradient");
  return async () => {
    const copy = await randomizedCopy(trained, top.layers, 0);
    try {
      return await explain(copy, x, targets);
    } finally {
      copy.dispose();
    }
  };
}
