"""Reference maps for Guided Backprop, Grad-CAM, Guided Grad-CAM and occlusion
(test/unit/interp/attribution-more.test.ts), computed with TensorFlow (Python, float64) on the SAME
architecture and weights as the shipped digits CNN, independently of the TS code:

- Guided Backprop: the layers rebuilt from raw ops with a tf.custom_gradient ReLU whose backward pass
  is relu(dy) * (y > 0), differentiated with GradientTape.
- Grad-CAM (Selvaraju et al.): GradientTape w.r.t. the conv layer's output; alpha = spatial mean of the
  gradient; relu(sum_k alpha_k A^k); tf.image.resize bilinear (half-pixel centres) to 8x8.
- Occlusion (Captum's definition): windows starting at 0, s, 2s, ... (ceil((8 - w) / s) + 1 per axis,
  cut at the edge), each pixel credited the mean score drop of the windows covering it; loops in numpy.

    npm run setup:python
    .cache/python/bin/python test/reference/interp/generate_attribution_more.py   ->  attribution-more.json
"""
import json
import math
import os

import numpy as np
import tensorflow as tf

from generate_attribution import ROOT, digits
from tfjs_keras import load_tfjs_layers_model, logits_model

HERE = os.path.dirname(os.path.abspath(__file__))
ROWS = [0, 1, 2, 3, 100, 500]


@tf.custom_gradient
def guided_relu(x):
    y = tf.nn.relu(x)

    def grad(dy):
        return tf.nn.relu(dy) * tf.cast(y > 0, dy.dtype)

    return y, grad


def guided_forward(model, x):
    """The logits with every ReLU replaced by the guided one (final softmax layer left out)."""
    h = x
    for layer in model.layers[:-1]:
        config = layer.get_config()
        if isinstance(layer, tf.keras.layers.Conv2D):
            kernel, bias = layer.get_weights()
            h = tf.nn.conv2d(h, kernel, strides=config["strides"], padding=config["padding"].upper()) + bias
        elif isinstance(layer, tf.keras.layers.Dense):
            kernel, bias = layer.get_weights()
            h = tf.matmul(h, kernel) + bias
        elif isinstance(layer, tf.keras.layers.MaxPooling2D):
            h = tf.nn.max_pool2d(h, config["pool_size"], config["strides"], config["padding"].upper())
        elif isinstance(layer, tf.keras.layers.Flatten):
            h = tf.reshape(h, [tf.shape(h)[0], -1])
            continue
        else:
            raise ValueError(layer)
        activation = config.get("activation", "linear")
        if activation == "relu":
            h = guided_relu(h)
        else:
            assert activation == "linear", activation
    return h


def guided_backprop(model, x, targets):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        score = tf.reduce_sum(guided_forward(model, x) * tf.one_hot(targets, 10, dtype=x.dtype))
    return tape.gradient(score, x).numpy()


def grad_cam(model, x, targets, layer_name):
    f = logits_model(model)
    index = [layer.name for layer in f.layers].index(layer_name)
    below = tf.keras.Sequential([tf.keras.Input(x.shape[1:], dtype="float64")] + f.layers[: index + 1])
    above = f.layers[index + 1 :]
    a = below(x)
    with tf.GradientTape() as tape:
        tape.watch(a)
        h = a
        for layer in above:
            h = layer(h)
        score = tf.reduce_sum(h * tf.one_hot(targets, 10, dtype=h.dtype))
    grad = tape.gradient(score, a)
    alpha = tf.reduce_mean(grad, axis=[1, 2], keepdims=True)
    cam = tf.nn.relu(tf.reduce_sum(alpha * a, axis=-1, keepdims=True))
    return tf.image.resize(cam, [8, 8], method="bilinear").numpy()


def occlusion(f, x, targets, window, strides, baseline):
    n, height, width, _ = x.shape
    rows = np.arange(n)
    base = f(x).numpy()[rows, targets]
    total, count = np.zeros_like(x), np.zeros((height, width))
    for r in range(math.ceil((height - window[0]) / strides[0]) + 1):
        for c in range(math.ceil((width - window[1]) / strides[1]) + 1):
            r0, c0 = r * strides[0], c * strides[1]
            occluded = x.copy()
            occluded[:, r0 : r0 + window[0], c0 : c0 + window[1], :] = baseline
            drop = base - f(occluded).numpy()[rows, targets]
            total[:, r0 : r0 + window[0], c0 : c0 + window[1], :] += drop[:, None, None, None]
            count[r0 : r0 + window[0], c0 : c0 + window[1]] += 1
    return total / count[None, :, :, None]


def main():
    x, _ = digits(ROWS)
    model = load_tfjs_layers_model(os.path.join(ROOT, "examples", "digits", "models", "cnn", "model.json"))
    f = logits_model(model)
    targets = f(x).numpy().argmax(-1)
    flat = lambda a: a.reshape(len(ROWS), -1).tolist()
    out = {
        "generator": f"tensorflow {tf.__version__}",
        "rows": ROWS,
        "inputs": flat(x),
        "targets": targets.tolist(),
        "guidedBackprop": flat(guided_backprop(model, x, targets)),
        "gradCam": {layer: flat(grad_cam(model, x, targets, layer)) for layer in ["conv1", "conv2"]},
        "occlusion": [
            {"window": list(w), "strides": list(s), "baseline": b, "values": flat(occlusion(f, x, targets, w, s, b))}
            for w, s, b in [((1, 1), (1, 1), 0.0), ((2, 2), (2, 2), 0.0), ((3, 3), (2, 2), 0.5)]
        ],
    }
    with open(os.path.join(HERE, "attribution-more.json"), "w") as fh:
        json.dump(out, fh)
        fh.write("\n")


if __name__ == "__main__":
    main()
