"""Baseline for test/bench/attribution.bench.ts's DeepLift row: DeepLift (rescale rule, zero baseline) for
the same digits on the same CNN weights, in TensorFlow Python (tf.function + GradientTape), with the rules
of the float64 reference generator (test/reference/interp/generate_deeplift.py: the baseline's pass first,
then tf.custom_gradient rescaled ReLUs and Captum's max-pool rule), in float32, doing what the TS side does:
predicted classes, the attributions, f(x) and f(baseline) for the summation check, copied to host memory.

    python3 test/bench/deeplift_bench.py <model.json> <inputs.json>

Runs as a server (python_server.py) so the benchmark can interleave its runs with the TS runs.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference", "interp"))
from generate_deeplift import forward  # noqa: E402
from python_server import serve  # noqa: E402
from tfjs_keras import load_tfjs_layers_model  # noqa: E402

import tensorflow as tf  # noqa: E402


def main():
    model_path, inputs_path = sys.argv[1], sys.argv[2]
    model = load_tfjs_layers_model(model_path, dtype="float32")
    x = np.asarray(json.load(open(inputs_path)), dtype=np.float32).reshape(-1, 8, 8, 1)

    @tf.function(reduce_retracing=True)
    def deep_lift(x):
        baseline = tf.zeros_like(x)
        reference_logits, reference = forward(model, baseline)
        logits, _ = forward(model, x)
        targets = tf.one_hot(tf.argmax(logits, -1), 10)
        with tf.GradientTape() as tape:
            tape.watch(x)
            rescaled, _ = forward(model, x, reference)
            score = tf.reduce_sum(rescaled * targets)
        ends = tf.reduce_sum(tf.concat([logits, reference_logits], 0) * tf.tile(targets, [2, 1]), -1)
        return (x - baseline) * tape.gradient(score, x), ends

    serve(deep_lift, tf.constant(x), tf.__version__)


if __name__ == "__main__":
    main()
