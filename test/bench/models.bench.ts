// Imported models cost what native ones cost: Integrated Gradients (50 steps) on the ONNX ResNet-style
// fixture (test/reference/models/onnx/resnet.onnx: stem, max pool, two basic blocks, one with a
// downsample; 16x16x3) as loadModel imports it, against the same network written with tfjs layers by
// hand and given the same weights. The two must compute the same logits (asserted) before either is
// timed; runs alternate so machine load hits both medians alike. Target: ≤ 1.2x the native time.
import * as tf from "@tensorflow/tfjs";
import { loadTensorFlow } from "../../src/core/backend";
import { loadModel } from "../../src/core/data";
import { integratedGradients } from "../../src/core/interp/attribution";
import { medianMs, type Benchmark } from "./harness";

const MODEL = "test/reference/models/onnx/resnet.onnx";
const IMAGES = 64;
const RUNS = 9;

/** The fixture's network in tfjs layers, as a user would write it (max pool padding as ZeroPadding2D: it follows a ReLU). */
function nativeResnet(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 3] });
  const conv = (x: tf.SymbolicTensor, name: string, filters: number, kernelSize: number, strides = 1) => {
    const padded = kernelSize > 1 ? (tf.layers.zeroPadding2d({ padding: 1 }).apply(x) as tf.SymbolicTensor) : x;
    return tf.layers.conv2d({ name, filters, kernelSize, strides, useBias: false }).apply(padded) as tf.SymbolicTensor;
  };
  const bn = (x: tf.SymbolicTensor, name: string) => tf.layers.batchNormalization({ name, epsilon: 1e-5 }).apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor) => tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  const block = (x: tf.SymbolicTensor, m: string, filters: number, strides: number, downsample: boolean) => {
    const h = bn(conv(relu(bn(conv(x, `${m}.conv1`, filters, 3, strides), `${m}.bn1`)), `${m}.conv2`, filters, 3), `${m}.bn2`);
    const skip = downsample ? bn(conv(x, `${m}.downsample.0`, filters, 1, strides), `${m}.downsample.1`) : x;
    return relu(tf.layers.add().apply([h, skip]) as tf.SymbolicTensor);
  };
  let x = relu(bn(conv(input, "conv1", 8, 3), "bn1"));
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2 }).apply(tf.layers.zeroPadding2d({ padding: 1 }).apply(x)) as tf.SymbolicTensor;
  x = block(block(x, "layer1.0", 8, 1, false), "layer2.0", 16, 2, true);
  const logits = tf.layers.dense({ name: "fc", units: 10 }).apply(tf.layers.globalAveragePooling2d({}).apply(x)) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits });
}

export const benchmarks: Benchmark[] = [
  {
    id: "models.onnx-resnet-ig",
    async run() {
      const { backend } = await loadTensorFlow();
      const loaded = await loadModel(MODEL);
      if (loaded.kind !== "layers") throw new Error("the ONNX ResNet should import as a layers model");
      const imported = loaded.model;
      const native = nativeResnet();
      for (const layer of native.layers.filter((l) => l.weights.length)) layer.setWeights(imported.getLayer(layer.name).getWeights());
      const x = tf.randomNormal([IMAGES, 16, 16, 3], 0, 1, "float32", 15);
      const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(imported.predict(x) as tf.Tensor, native.predict(x) as tf.Tensor))).dataSync()[0]);
      if (!(gap < 1e-4)) throw new Error(`the native network does not compute the imported one (max |Δ logit| = ${gap})`);
      const ig = (model: tf.LayersModel) => integratedGradients(model, x, { steps: 50, target: 0 });
      await medianMs(() => ig(imported), 0, 2);
      await medianMs(() => ig(native), 0, 2);
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        ours.push(await medianMs(() => ig(imported), 1, 0));
        theirs.push(await medianMs(() => ig(native), 1, 0));
      }
      tf.dispose(x);
      imported.dispose();
      native.dispose();
      return {
        subject: { name: `IG on the ONNX-imported ResNet (tfjs ${backend})`, value: median(ours), unit: "ms" },
        baseline: { name: "IG on the same ResNet built with tfjs layers", value: median(theirs), unit: "ms" },
        target: "≤ 1.2x",
        note: `${IMAGES} images 16x16x3 × 50 Gauss–Legendre steps, ${RUNS} interleaved runs; logits agree to ${gap.toExponential(1)}; backend ${backend}`,
      };
    },
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
