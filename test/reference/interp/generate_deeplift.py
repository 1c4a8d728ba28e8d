"""Reference DeepLift (rescale rule) maps for test/unit/interp/deep-lift.test.ts, computed with TensorFlow
(Python, float64) on the SAME architecture and weights as the shipped digits CNN, independently of the TS code
(which runs input and baseline as one batch through its op-by-op reading; this runs them separately):

- The baseline goes through the layers first; its pre-activations and pooling inputs are kept.
- The input then goes through the layers rebuilt from raw ops, each ReLU and the max pool a tf.custom_gradient
  that knows the baseline's value at that point:
  ReLU: dy * (relu(z) - relu(z0)) / (z - z0), dy * [z > 0] where |z - z0| < 1e-10 (Captum's eps);
  max pool (Captum's rule): with m = max(y, y0), MaxPoolGrad routes dy * (m - y0) to the input's maxima and
  dy * (y - m) to the baseline's, summed per position and divided by z - z0 (plain MaxPoolGrad where
  |z - z0| < eps).
- attributions = (x - x0) * the gradient of the target logit (GradientTape); their sums are f(x) - f(x0).

    npm run setup:python
    .cache/python/bin/python test/reference/interp/generate_deeplift.py   ->  deeplift.json
"""
import json
import os

import numpy as np
import tensorflow as tf

from generate_attribution import ROOT, digits
from tfjs_keras import load_tfjs_layers_model, logits_model

HERE = os.path.dirname(os.path.abspath(__file__))
ROWS = [0, 1, 2, 3, 100, 500]
EPS = 1e-10


def rescaled_relu(z0):
    @tf.custom_gradient
    def relu(z):
        def grad(dy):
            dz = z - z0
            small = tf.abs(dz) < EPS
            safe = tf.where(small, tf.ones_like(dz), dz)
            ratio = (tf.nn.relu(z) - tf.nn.relu(z0)) / safe
            return dy * tf.where(small, tf.cast(z > 0, dy.dtype), ratio)

        return tf.nn.relu(z), grad

    return relu


def rescaled_max_pool(z0, size, strides, padding):
    pool = lambda t: tf.nn.max_pool2d(t, size, strides, padding)
    unpool = lambda t, y, g: tf.raw_ops.MaxPoolGrad(orig_input=t, orig_output=y, grad=g, ksize=[1, *size, 1], strides=[1, *strides, 1], padding=padding)

    @tf.custom_gradient
    def max_pool(z):
        y, y0 = pool(z), pool(z0)

        def grad(dy):
            m = tf.maximum(y, y0)
            credited = unpool(z, y, dy * (m - y0)) + unpool(z0, y0, dy * (y - m))
            dz = z - z0
            small = tf.abs(dz) < EPS
            return tf.where(small, unpool(z, y, dy), credited / tf.where(small, tf.ones_like(dz), dz))

        return y, grad

    return max_pool


def forward(model, x, reference=None):
    """The logits; with `reference` (the baseline's kept values, in order) the rescale rules in place.
    Returns the logits and the values a later call needs as its reference."""
    h, kept, k = x, [], 0
    for layer in model.layers[:-1]:
        config = layer.get_config()
        if isinstance(layer, tf.keras.layers.Conv2D):
            kernel, bias = layer.kernel, layer.bias
            h = tf.nn.conv2d(h, kernel, strides=config["strides"], padding=config["padding"].upper()) + bias
        elif isinstance(layer, tf.keras.layers.Dense):
            kernel, bias = layer.kernel, layer.bias
            h = tf.matmul(h, kernel) + bias
        elif isinstance(layer, tf.keras.layers.MaxPooling2D):
            kept.append(h)
            args = (config["pool_size"], config["strides"], config["padding"].upper())
            h = rescaled_max_pool(reference[k], *args)(h) if reference else tf.nn.max_pool2d(h, *args)
            k += reference is not None
            continue
        elif isinstance(layer, tf.keras.layers.Flatten):
            h = tf.reshape(h, [tf.shape(h)[0], -1])
            continue
        else:
            raise ValueError(layer)
        activation = config.get("activation", "linear")
        if activation == "relu":
            kept.append(h)
            h = rescaled_relu(reference[k])(h) if reference else tf.nn.relu(h)
            k += reference is not None
        else:
            assert activation == "linear", activation
    return h, kept


def deep_lift(model, x, x0, targets):
    _, reference = forward(model, tf.constant(x0))
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        logits, _ = forward(model, x, reference)
        score = tf.reduce_sum(logits * tf.one_hot(targets, 10, dtype=x.dtype))
    return ((x - x0) * tape.gradient(score, x)).numpy()


def main():
    x, _ = digits(ROWS)
    model = load_tfjs_layers_model(os.path.join(ROOT, "examples", "digits", "models", "cnn", "model.json"))
    f = logits_model(model)
    targets = f(x).numpy().argmax(-1)
    rows = np.arange(len(ROWS))
    flat = lambda a: a.reshape(len(ROWS), -1).tolist()
    baselines = {"zero": np.zeros_like(x), "mean": np.broadcast_to(x.mean(axis=0, keepdims=True), x.shape).copy()}
    out = {"generator": f"tensorflow {tf.__version__}", "rows": ROWS, "inputs": flat(x), "targets": targets.tolist(), "baselines": {}}
    for name, x0 in baselines.items():
        values = deep_lift(model, x, x0, targets)
        logits = lambda t: forward(model, tf.constant(t))[0].numpy()[rows, targets]
        difference = logits(x) - logits(x0)
        gap = np.abs(values.reshape(len(ROWS), -1).sum(-1) - difference).max()
        assert gap < 1e-9, f"{name}: summation to delta off by {gap}"
        out["baselines"][name] = {"baseline": flat(x0)[0], "values": flat(values)}
    with open(os.path.join(HERE, "deeplift.json"), "w") as fh:
        json.dump(out, fh)
        fh.write("\n")


if __name__ == "__main__":
    main()
