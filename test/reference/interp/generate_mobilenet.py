"""Reference attributions for a real network: nsfwjs' pretrained Keras MobileNetV2 (224x224x3, 155
layers, residual Adds, BatchNorm, ReLU6), rebuilt by hand in Keras from its tfjs topology and run by
TensorFlow in float64. Checks test/unit/interp/attribution-mobilenet.test.ts.

    npm run setup:python
    .cache/python/bin/python test/reference/interp/generate_mobilenet.py   ->  mobilenet.json

The model is written out once by tfjs (dump_nsfw_mobilenet.ts: the package's weights as tfjs
dequantises them); everything else here is independent of the TypeScript code: the layers are
rebuilt with Keras, gradients come from GradientTape, and IG's nodes from numpy's Gauss-Legendre.
The input is a smooth image given by a formula both sides compute. Stored: the logits, and the
gradient and IG attributions (50 steps, zero baseline) of the predicted logit on a 32x32 grid of
pixels (every 7th row and column, all 3 channels), and the gradient's sums per channel. Also stored: how far
TensorFlow's own float32 computation of the same is from this float64 one (the worst and the mean
absolute difference on the grid, relative to the largest value): the floor any float32
implementation meets through 155 layers of ReLU6 kinks, which the tests hold ours to.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
GRID = 7


def image():
    """x[h, w, c] = 0.5 + 0.45 sin(0.031 h (c + 1) + 0.047 w + c): a smooth 224x224x3 image in [0.05, 0.95]."""
    h, w, c = np.meshgrid(np.arange(224), np.arange(224), np.arange(3), indexing="ij")
    return (0.5 + 0.45 * np.sin(0.031 * h * (c + 1) + 0.047 * w + c))[None]


def load_weights(folder, dtype):
    spec = json.load(open(os.path.join(folder, "model.json")))
    raw = b"".join(open(os.path.join(folder, p), "rb").read() for g in spec["weightsManifest"] for p in g["paths"])
    weights, offset = {}, 0
    for group in spec["weightsManifest"]:
        for w in group["weights"]:
            count = int(np.prod(w["shape"]))
            weights[w["name"]] = np.frombuffer(raw, dtype="<f4", count=count, offset=offset).reshape(w["shape"]).astype(dtype)
            offset += 4 * count
    return spec["modelTopology"], weights


def layer_of(cls, cfg, DTYPE):
    name = cfg["name"]
    if cls == "Conv2D":
        return keras.layers.Conv2D(cfg["filters"], cfg["kernel_size"], strides=cfg["strides"], padding=cfg["padding"], use_bias=cfg["use_bias"], activation=cfg["activation"], dilation_rate=cfg["dilation_rate"], name=name, dtype=DTYPE)
    if cls == "DepthwiseConv2D":
        return keras.layers.DepthwiseConv2D(cfg["kernel_size"], strides=cfg["strides"], padding=cfg["padding"], depth_multiplier=cfg["depth_multiplier"], use_bias=cfg["use_bias"], activation=cfg["activation"], name=name, dtype=DTYPE)
    if cls == "BatchNormalization":
        return keras.layers.BatchNormalization(axis=cfg["axis"], epsilon=cfg["epsilon"], center=cfg["center"], scale=cfg["scale"], name=name, dtype=DTYPE)
    if cls == "ReLU":
        return keras.layers.ReLU(max_value=cfg["max_value"], name=name, dtype=DTYPE)
    if cls == "ZeroPadding2D":
        return keras.layers.ZeroPadding2D(padding=tuple(tuple(p) for p in cfg["padding"]), name=name, dtype=DTYPE)
    if cls == "Add":
        return keras.layers.Add(name=name, dtype=DTYPE)
    if cls == "AveragePooling2D":
        return keras.layers.AveragePooling2D(cfg["pool_size"], strides=cfg["strides"], padding=cfg["padding"], name=name, dtype=DTYPE)
    if cls == "Flatten":
        return keras.layers.Flatten(name=name, dtype=DTYPE)
    if cls == "Dense":
        return keras.layers.Dense(cfg["units"], activation=cfg["activation"], name=name, dtype=DTYPE)
    if cls == "Dropout":
        return keras.layers.Dropout(cfg["rate"], name=name, dtype=DTYPE)
    raise ValueError(f"unsupported layer class {cls}")


def rebuild(topology, weights, DTYPE):
    config = topology["model_config"]["config"] if "model_config" in topology else topology["config"]
    tensors = {}
    for spec in config["layers"]:
        cls, cfg, name = spec["class_name"], spec["config"], spec["name"]
        if cls == "InputLayer":
            tensors[name] = keras.Input(shape=cfg["batch_input_shape"][1:], dtype=DTYPE, name=name)
            continue
        inputs = [tensors[inbound[0]] for inbound in spec["inbound_nodes"][0]]
        layer = layer_of(cls, cfg, DTYPE)
        tensors[name] = layer(inputs if len(inputs) > 1 else inputs[0])
        names = [n for n in ("kernel", "depthwise_kernel", "bias", "gamma", "beta", "moving_mean", "moving_variance") if f"{name}/{n}" in weights]
        if names:
            layer.set_weights([weights[f"{name}/{n}"] for n in names])
    output = tensors[config["output_layers"][0][0]]
    return keras.Model(tensors[config["input_layers"][0][0]], output)


def attributions(folder, dtype):
    """Logits, the target, and the gradient and IG of the target logit (full arrays) in `dtype`."""
    topology, weights = load_weights(folder, dtype)
    model = rebuild(topology, weights, dtype)
    last = model.layers[-1]
    assert last.get_config()["activation"] == "softmax"
    # The logits: the last Dense layer without its softmax.
    below = keras.Model(model.input, last.input)
    kernel, bias = [tf.constant(w) for w in last.get_weights()]
    logits_of = lambda z: tf.matmul(below(z, training=False), kernel) + bias  # noqa: E731

    x = tf.constant(image(), dtype)
    logits = logits_of(x).numpy()[0]
    target = int(np.argmax(logits))

    def grad(z):
        with tf.GradientTape() as tape:
            tape.watch(z)
            score = tf.reduce_sum(logits_of(z)[:, target])
        return tape.gradient(score, z)

    g = grad(x).numpy()[0]
    t, w = np.polynomial.legendre.leggauss(50)
    alphas, quad = (t + 1) / 2, w / 2
    path = tf.constant(alphas[:, None, None, None] * image()[0][None], dtype)
    path_grads = np.concatenate([grad(path[k : k + 10]).numpy() for k in range(0, 50, 10)])
    ig = image()[0] * np.tensordot(quad, path_grads, axes=(0, 0))
    difference = float(logits[target] - logits_of(tf.zeros_like(x)).numpy()[0][target])
    return logits, target, g, ig, difference


def main():
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["node", "--import", "tsx", os.path.join(HERE, "dump_nsfw_mobilenet.ts"), folder], cwd=ROOT, check=True, capture_output=True)
        logits, target, g, ig, difference = attributions(folder, "float64")
        _, target32, g32, ig32, _ = attributions(folder, "float32")
    assert target32 == target
    grid = lambda a: a[::GRID, ::GRID, :].ravel()  # noqa: E731
    floor = lambda ours, truth: {  # noqa: E731
        "worst": float(np.abs(grid(ours) - grid(truth)).max() / np.abs(grid(truth)).max()),
        "mean": float(np.abs(grid(ours) - grid(truth)).mean() / np.abs(grid(truth)).max()),
    }
    out = {
        "generator": "test/reference/interp/generate_mobilenet.py",
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "image": "0.5 + 0.45 sin(0.031 h (c + 1) + 0.047 w + c), h, w in 0..223, c in 0..2",
        "grid": GRID,
        "logits": logits.tolist(),
        "target": target,
        "gradient": grid(g).tolist(),
        "gradientChannelSums": g.sum(axis=(0, 1)).tolist(),
        "ig": {"steps": 50, "rule": "gauss-legendre", "baseline": 0, "values": grid(ig).tolist(), "scoreDifference": difference},
        "tensorflowFloat32": {"gradient": floor(g32, g), "ig": floor(ig32, ig)},
    }
    with open(os.path.join(HERE, "mobilenet.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"mobilenet.json: target {target}, logits {np.round(logits, 4)}, float32 floor {out['tensorflowFloat32']}", file=sys.stderr)


if __name__ == "__main__":
    main()
