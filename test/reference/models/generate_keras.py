#!/usr/bin/env python3
"""Keras 3 fixture models (.keras and legacy .h5) and Keras's own predictions, for src/core/data/keras.

Run from the repository root (needs the `keras`, `tensorflow_cpu` and `numpy` wheels: `npm run setup:python`):
    .cache/python/bin/python test/reference/models/generate_keras.py
It rewrites test/reference/models/keras/* and keras.json. Weights are Keras's initialisers with a
fixed seed, BatchNorm statistics drawn at random (so they matter), and the JSON holds each model's
input (rounded to 4 decimals) and Keras's prediction of it: the reference is Keras, never the importer.

Cases: `cnn` (Conv2D, BatchNormalization, MaxPooling2D, DepthwiseConv2D, GlobalAveragePooling2D,
Dropout, Dense with softmax), `residual` (a functional residual block with Add, ReLU, ZeroPadding2D,
AveragePooling2D, Concatenate, LeakyReLU, Flatten), `mlp` (Sequential Dense layers), `sequence` (Embedding,
LSTM, GRU), the
CNN again as a legacy HDF5 file (`cnn_legacy.h5`), and `unsupported` (a GroupNormalization layer,
which tfjs-layers lacks) and `gru_reset_after` (Keras 3's default GRU, which tfjs-layers computes
differently), both refused at load. `relu_variants` has Keras 3 ReLU layers with a negative_slope
(tfjs-layers' LeakyReLU computes it) and a max_value other than 6; `relu_threshold` (threshold > 0) and
`relu_slope_max` (negative_slope with max_value) have no tfjs-layers equivalent and are refused at load.
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402
from reference import HERE, reference_case, short, write  # noqa: E402

OUT = os.path.join(HERE, "keras")
rng = np.random.default_rng(15)
keras.utils.set_random_seed(15)


def random_batch_norm_statistics(model):
    for layer in model.layers:
        if isinstance(layer, layers.BatchNormalization):
            gamma, beta, mean, var = layer.get_weights()
            layer.set_weights([1 + 0.2 * rng.normal(size=gamma.shape), 0.2 * rng.normal(size=beta.shape),
                               0.2 * rng.normal(size=mean.shape), 0.5 + np.abs(rng.normal(size=var.shape))])
    return model


def cnn():
    return keras.Sequential([
        keras.Input((12, 12, 3)),
        layers.Conv2D(8, 3, padding="same", activation="relu", name="conv1"),
        layers.BatchNormalization(name="bn1"),
        layers.MaxPooling2D(2, name="pool1"),
        layers.DepthwiseConv2D(3, padding="same", depth_multiplier=2, name="depthwise"),
        layers.ReLU(max_value=6.0, name="relu6"),
        layers.Conv2D(12, 1, name="pointwise"),
        layers.GlobalAveragePooling2D(name="gap"),
        layers.Dropout(0.3, name="dropout"),
        layers.Dense(10, activation="softmax", name="logits"),
    ], name="cnn")


def residual():
    x = keras.Input((12, 12, 3), name="image")
    h = layers.Conv2D(8, 3, padding="same", use_bias=False, name="block_conv1")(x)
    h = layers.BatchNormalization(name="block_bn1")(h)
    h = layers.ReLU(name="block_relu1")(h)
    h = layers.Conv2D(8, 3, padding="same", use_bias=False, name="block_conv2")(h)
    h = layers.BatchNormalization(name="block_bn2")(h)
    shortcut = layers.Conv2D(8, 1, name="shortcut")(x)
    h = layers.Add(name="block_add")([h, shortcut])
    h = layers.Activation("relu", name="block_out")(h)
    h = layers.ZeroPadding2D(1, name="pad")(h)
    h = layers.AveragePooling2D(3, strides=3, name="pool")(h)
    h = layers.Concatenate(name="concat")([h, layers.LeakyReLU(0.1, name="leaky")(h)])
    h = layers.Flatten(name="flatten")(h)
    y = layers.Dense(5, name="head")(h)
    return keras.Model(x, y, name="residual")


def mlp():
    return keras.Sequential([
        keras.Input((12,)),
        layers.Dense(16, activation="relu", name="fc1"),
        layers.Dense(8, activation="tanh", name="fc2"),
        layers.Dense(4, activation="softmax", name="fc3"),
    ], name="mlp")


def sequence():
    tokens = keras.Input((7,), name="tokens")
    h = layers.Embedding(20, 6, name="embedding")(tokens)
    h = layers.LSTM(5, return_sequences=True, name="lstm")(h)
    # reset_after=False: Keras 3's default (True) is a GRU variant tfjs-layers does not compute (refused at load).
    h = layers.GRU(4, reset_after=False, name="gru")(h)
    y = layers.Dense(3, name="head")(h)
    return keras.Model(tokens, y, name="sequence")


def unsupported():
    return keras.Sequential([keras.Input((4, 4, 4)), layers.GroupNormalization(groups=2, name="group_norm")], name="unsupported")


def gru_reset_after():
    return keras.Sequential([keras.Input((5, 3)), layers.GRU(4, name="gru")], name="gru_reset_after")


def relu_variants():
    return keras.Sequential([
        keras.Input((6,)),
        layers.Dense(8, name="fc1"),
        layers.ReLU(negative_slope=0.2, name="relu_slope"),
        layers.Dense(8, name="fc2"),
        layers.ReLU(max_value=0.5, name="relu_max"),
        layers.Dense(3, name="head"),
    ], name="relu_variants")


def relu_refused(name, **settings):
    return keras.Sequential([keras.Input((4,)), layers.ReLU(**settings, name="relu")], name=name)


def main():
    os.makedirs(OUT, exist_ok=True)
    reference = {
        "generator": "test/reference/models/generate_keras.py",
        "python": sys.version.split()[0], "keras": keras.__version__, "numpy": np.__version__,
        "cases": {},
    }
    built = {"cnn": cnn(), "residual": residual(), "mlp": mlp(), "sequence": sequence()}
    files = {name: (model, f"keras/{name}.keras") for name, model in built.items()}
    files["cnn_legacy"] = (built["cnn"], "keras/cnn_legacy.h5")
    for name, (model, file) in files.items():
        random_batch_norm_statistics(model) if name != "cnn_legacy" else None
        shape = (3, *model.input_shape[1:])
        x = rng.integers(0, 20, size=shape).astype(np.float32) if name == "sequence" else short(rng.normal(0, 1, size=shape))
        y = model.predict(x, verbose=0)
        model.save(os.path.join(HERE, file))
        reference["cases"][name] = reference_case(file, x, y)
    # After the cases above, so their weights and inputs stay what they were.
    model = relu_variants()
    x = short(rng.normal(0, 1, size=(4, 6)))
    model.save(os.path.join(OUT, "relu_variants.keras"))
    reference["cases"]["relu_variants"] = reference_case("keras/relu_variants.keras", x, model.predict(x, verbose=0))
    relu_refused("relu_threshold", threshold=0.5).save(os.path.join(OUT, "relu_threshold.keras"))
    relu_refused("relu_slope_max", negative_slope=0.1, max_value=6.0).save(os.path.join(OUT, "relu_slope_max.keras"))
    unsupported().save(os.path.join(OUT, "unsupported.keras"))
    gru_reset_after().save(os.path.join(OUT, "gru_reset_after.keras"))
    write("keras.json", reference)
    print(f"wrote {len(files) + 5} models to {OUT} and keras.json")


if __name__ == "__main__":
    main()
