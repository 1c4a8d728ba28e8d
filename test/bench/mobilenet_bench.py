"""Baseline for test/bench/mobilenet.bench.ts: the same attribution on nsfwjs' MobileNetV2 (its weights
as tfjs dequantises them, rebuilt in Keras by test/reference/interp/generate_mobilenet.py) in TensorFlow
Python, float32, tf.function + GradientTape, each case in its own process so its peak RSS is its own.

    python3 test/bench/mobilenet_bench.py <model folder> <case>

Cases: ig-1 / ig-8 (Integrated Gradients, 50 Gauss-Legendre steps, zero baseline, 1 or 8 images, the
steps in batches of 10), gradient-8, smoothgrad-1 (50 noisy copies, sigma 0.15, batches of 10), cascade-8
(sanityCheck's first cascading step, see cascading_step). Runs the case once to trace, then times a
second run; prints {"ms", "rssMb", "tensorflow"}.
"""
import json
import os
import resource
import sys
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference", "interp"))
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from generate_mobilenet import load_weights, rebuild  # noqa: E402


def main():
    folder, case = sys.argv[1], sys.argv[2]
    topology, weights = load_weights(folder, "float32")
    model = rebuild(topology, weights, "float32")
    below = keras.Model(model.input, model.layers[-1].input)
    kernel, bias = [tf.constant(w) for w in model.layers[-1].get_weights()]
    n = 8 if case.endswith("-8") else 1
    h, w, c = np.meshgrid(np.arange(224), np.arange(224), np.arange(3), indexing="ij")
    x = tf.constant(np.stack([0.5 + 0.45 * np.sin(0.031 * h * (c + 1) + 0.047 * w + c + i) for i in range(n)]), tf.float32)

    @tf.function(reduce_retracing=True)
    def grad(z, target):
        with tf.GradientTape() as tape:
            tape.watch(z)
            score = tf.reduce_sum((tf.matmul(below(z, training=False), kernel) + bias)[:, target])
        return tape.gradient(score, z)

    t, q = np.polynomial.legendre.leggauss(50)
    alphas, quad = (t + 1) / 2, (q / 2).astype(np.float32)

    def attributions():
        out = []
        for i in range(n):
            xi = x[i : i + 1]
            if case.startswith("gradient"):
                out.append(grad(xi, 0).numpy())
                continue
            if case.startswith("ig"):
                total = np.zeros(xi.shape, np.float32)
                for k in range(0, 50, 10):
                    g = grad(tf.constant(alphas[k : k + 10, None, None, None], tf.float32) * xi, 0).numpy()
                    total += np.tensordot(quad[k : k + 10], g, axes=(0, 0))
                out.append(xi.numpy() * total)
            else:
                total = np.zeros(xi.shape, np.float32)
                rng = np.random.default_rng(0)
                for k in range(0, 50, 10):
                    noisy = xi + tf.constant(rng.normal(0, 0.15, (10, 224, 224, 3)), tf.float32)
                    total += grad(noisy, 0).numpy().sum(0, keepdims=True)
                out.append(total / 50)
        return out

    run = cascading_step(model, below, x) if case.startswith("cascade") else attributions
    run()
    start = time.perf_counter()
    run()
    ms = (time.perf_counter() - start) * 1000
    print(json.dumps({"ms": ms, "rssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "tensorflow": tf.__version__}))


def cascading_step(model, below, x):
    """sanityCheck's first cascading step, as Keras users take it: the top block (the head, the Dense
    layers dense_1..3, as ours) re-initialised in place with Keras' default initialisers (Glorot-uniform
    kernels, zero biases; BatchNorm gamma 1, beta 0, running statistics kept, as ours), then the
    gradient of each image's logit for the class the trained model predicts, the 8 images in one
    tf.function call. Timed: the re-initialisation and the gradient. In place, as Quantus' MPRT
    randomises its clone of a Keras model (made once, not per step); ours copies the model per step
    (sanityCheck never touches the user's model), and that copy is in our time."""
    last = model.layers[-1]
    head = [layer for layer in model.layers if layer.name.startswith("dense") and layer.weights]
    logits = lambda z: tf.matmul(below(z, training=False), last.kernel) + last.bias  # noqa: E731
    targets = tf.argmax(logits(x), -1)
    glorot = keras.initializers.GlorotUniform(seed=0)

    @tf.function
    def grad(z):
        with tf.GradientTape() as tape:
            tape.watch(z)
            score = tf.reduce_sum(tf.gather(logits(z), targets, batch_dims=1))
        return tape.gradient(score, z)

    def run():
        for layer in head:
            for v in layer.weights:
                role = v.name.split("/")[-1]
                if role not in ("moving_mean", "moving_variance"):
                    v.assign(glorot(v.shape) if len(v.shape) >= 2 else tf.ones(v.shape) if role == "gamma" else tf.zeros(v.shape))
        return grad(x).numpy()

    return run


if __name__ == "__main__":
    main()
