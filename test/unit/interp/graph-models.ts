// Small models for the graph readers (../../../src/core/interp/graph), each a few layer kinds,
// residual and concatenated branches included: shared by the graph route's tests (tfjs-node) and
// the op-by-op route's (wasm).
import * as tf from "@tensorflow/tfjs";

let seed = 11;

/** A fresh seed for each initializer and random tensor. */
export const nextSeed = () => seed++;
export const init = () => ({ kernelInitializer: tf.initializers.glorotNormal({ seed: seed++ }), biasInitializer: tf.initializers.randomNormal({ seed: seed++, stddev: 0.3 }) });
export const apply = <T extends tf.SymbolicTensor | tf.SymbolicTensor[]>(layer: tf.layers.Layer, x: T) => layer.apply(x) as tf.SymbolicTensor;

/** BatchNorm layers with trained-looking statistics (not the identity they start as). */
function withStatistics(model: tf.LayersModel): tf.LayersModel {
  for (const layer of model.layers.filter((l) => l.getClassName() === "BatchNormalization")) {
    const c = layer.getWeights()[0].shape[0];
    layer.setWeights(layer.weights.map((_, k) => tf.randomUniform([c], k === 2 ? -0.5 : 0.5, k === 2 ? 0.5 : 1.5, "float32", seed++)));
  }
  return model;
}

/** Small models, each a few layer kinds: their input shapes and the models. */
export function models(): Record<string, tf.LayersModel> {
  // MobileNetV2's inverted residual: padding, strided conv, BatchNorm, ReLU6, depthwise, projection, Add.
  const a = tf.input({ shape: [8, 8, 3] });
  const padded = apply(tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]] }), a);
  const stem = apply(tf.layers.reLU({ maxValue: 6 }), apply(tf.layers.batchNormalization({}), apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, useBias: false, ...init() }), padded)));
  const expand = apply(tf.layers.reLU({ maxValue: 6 }), apply(tf.layers.batchNormalization({}), apply(tf.layers.depthwiseConv2d({ kernelSize: 3, padding: "same", useBias: false, depthwiseInitializer: tf.initializers.glorotNormal({ seed: seed++ }) }), stem)));
  const project = apply(tf.layers.batchNormalization({}), apply(tf.layers.conv2d({ filters: 4, kernelSize: 1, useBias: false, ...init() }), expand));
  const residual = apply(tf.layers.add(), [stem, project]);
  const head = apply(tf.layers.dense({ units: 5, ...init() }), apply(tf.layers.globalAveragePooling2d({}), residual));

  // Two branches concatenated: a 1x1 conv and a separable conv, pooling, flatten, a tanh layer.
  const b = tf.input({ shape: [6, 6, 2] });
  const left = apply(tf.layers.conv2d({ filters: 3, kernelSize: 1, activation: "relu", ...init() }), b);
  const right = apply(tf.layers.separableConv2d({ filters: 2, kernelSize: 3, padding: "same", activation: "elu", depthwiseInitializer: tf.initializers.glorotNormal({ seed: seed++ }), pointwiseInitializer: tf.initializers.glorotNormal({ seed: seed++ }), biasInitializer: tf.initializers.randomNormal({ seed: seed++ }) }), b);
  const joined = apply(tf.layers.concatenate({ axis: -1 }), [left, right]);
  const pooled = apply(tf.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: "same" }), apply(tf.layers.maxPooling2d({ poolSize: 2 }), joined));
  const squashed = apply(tf.layers.conv2d({ filters: 2, kernelSize: 2, padding: "same", activation: "sigmoid", ...init() }), pooled);
  const branches = apply(tf.layers.dense({ units: 3, activation: "softmax", ...init() }), apply(tf.layers.dense({ units: 4, activation: "tanh", ...init() }), apply(tf.layers.flatten(), squashed)));

  // Dense layers: LeakyReLU, BatchNorm on rank 2, Multiply and Add of branches, Reshape, softplus, a Softmax layer.
  const c = tf.input({ shape: [5] });
  const h = apply(tf.layers.leakyReLU({ alpha: 0.2 }), apply(tf.layers.dense({ units: 6, ...init() }), c));
  const normed = apply(tf.layers.batchNormalization({}), apply(tf.layers.dropout({ rate: 0.3 }), h));
  const gate = apply(tf.layers.dense({ units: 6, activation: "sigmoid", ...init() }), c);
  const mixed = apply(tf.layers.add(), [apply(tf.layers.multiply(), [normed, gate]), apply(tf.layers.activation({ activation: "softplus" }), h)]);
  const reshaped = apply(tf.layers.flatten(), apply(tf.layers.reshape({ targetShape: [2, 3] }), mixed));
  const dense = apply(tf.layers.softmax(), apply(tf.layers.dense({ units: 4, ...init() }), apply(tf.layers.activation({ activation: "relu6" }), reshaped)));

  return {
    "inverted residual": withStatistics(tf.model({ inputs: a, outputs: head })),
    "concatenated branches": tf.model({ inputs: b, outputs: branches }),
    "dense mix": withStatistics(tf.model({ inputs: c, outputs: dense })),
  };
}
