"""Baseline for test/bench/attribution.bench.ts: Integrated Gradients (Gauss-Legendre, 50 steps, zero
baseline) for the same digits on the same CNN weights, in TensorFlow Python (tf.function +
GradientTape, all steps in one batch), doing what the TS side does: predicted classes, the path
gradients, f(x) and f(baseline) for the completeness gap, and copying the result to host memory.

    python3 test/bench/attribution_bench.py <model.json> <inputs.json>

Runs as a server (python_server.py) so the benchmark can interleave its runs with the TS runs.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference", "interp"))
from python_server import serve  # noqa: E402
from tfjs_keras import load_tfjs_layers_model, logits_model  # noqa: E402

import tensorflow as tf  # noqa: E402


def main():
    model_path, inputs_path = sys.argv[1], sys.argv[2]
    f = logits_model(load_tfjs_layers_model(model_path, dtype="float32"))
    x = np.asarray(json.load(open(inputs_path)), dtype=np.float32).reshape(-1, 8, 8, 1)
    t, w = np.polynomial.legendre.leggauss(50)
    alphas = tf.constant((t + 1) / 2, tf.float32)
    weights = tf.constant(w / 2, tf.float32)

    @tf.function(reduce_retracing=True)
    def ig(x):
        baseline = tf.zeros_like(x)
        targets = tf.argmax(f(x), -1)
        steps, n = alphas.shape[0], tf.shape(x)[0]
        path = baseline[None] + alphas[:, None, None, None, None] * (x - baseline)[None]
        path = tf.reshape(path, (-1, 8, 8, 1))
        onehot = tf.one_hot(tf.tile(targets, [steps]), 10)
        with tf.GradientTape() as tape:
            tape.watch(path)
            score = tf.reduce_sum(f(path) * onehot)
        grads = tf.reshape(tape.gradient(score, path), (steps, n, 8, 8, 1))
        mean = tf.reduce_sum(grads * weights[:, None, None, None, None], 0)
        ends = tf.reduce_sum(f(tf.concat([x, baseline], 0)) * tf.one_hot(tf.tile(targets, [2]), 10), -1)
        return (x - baseline) * mean, ends

    serve(ig, tf.constant(x), tf.__version__)


if __name__ == "__main__":
    main()
