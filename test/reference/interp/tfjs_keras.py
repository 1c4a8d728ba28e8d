"""Load a tfjs layers model (model.json + weights.bin) into an equivalent Keras model, by hand.

Independent of tfjs: reads the JSON topology and the raw float32 weights, rebuilds the layers with
Keras, and casts everything to float64 so the reference values are more exact than what they check.
Supports the layer classes of the shipped examples (Conv2D, Dense, MaxPooling2D, Flatten, Activation).
"""
import json
import os

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402


def load_tfjs_layers_model(model_json_path, dtype="float64"):
    with open(model_json_path) as f:
        spec = json.load(f)
    folder = os.path.dirname(model_json_path)
    raw = b"".join(open(os.path.join(folder, p), "rb").read() for g in spec["weightsManifest"] for p in g["paths"])
    weights, offset = {}, 0
    for group in spec["weightsManifest"]:
        for w in group["weights"]:
            assert w["dtype"] == "float32", w
            count = int(np.prod(w["shape"]))
            weights[w["name"]] = np.frombuffer(raw, dtype="<f4", count=count, offset=offset).reshape(w["shape"]).astype(dtype)
            offset += 4 * count
    topology = spec["modelTopology"]
    config = topology.get("model_config", topology)["config"]
    layers_config = config["layers"] if isinstance(config, dict) else config
    input_shape = None
    layers = []
    for layer in layers_config:
        cls, cfg = layer["class_name"], layer["config"]
        if "batch_input_shape" in cfg:
            input_shape = cfg["batch_input_shape"][1:]
        name = cfg["name"]
        if cls == "Conv2D":
            layers.append(tf.keras.layers.Conv2D(cfg["filters"], cfg["kernel_size"], strides=cfg["strides"], padding=cfg["padding"], activation=cfg["activation"], name=name, dtype=dtype))
        elif cls == "Dense":
            layers.append(tf.keras.layers.Dense(cfg["units"], activation=cfg["activation"], name=name, dtype=dtype))
        elif cls == "MaxPooling2D":
            layers.append(tf.keras.layers.MaxPooling2D(cfg["pool_size"], strides=cfg["strides"], padding=cfg["padding"], name=name, dtype=dtype))
        elif cls == "Flatten":
            layers.append(tf.keras.layers.Flatten(name=name, dtype=dtype))
        elif cls == "Activation":
            layers.append(tf.keras.layers.Activation(cfg["activation"], name=name, dtype=dtype))
        else:
            raise ValueError(f"unsupported layer class {cls}")
    model = tf.keras.Sequential([tf.keras.Input(input_shape, dtype=dtype)] + layers)
    for layer in model.layers:
        names = [k for k in weights if k.startswith(layer.name + "/")]
        if names:
            layer.set_weights([weights[f"{layer.name}/kernel"], weights[f"{layer.name}/bias"]])
    return model


def logits_model(model):
    """The model up to its final softmax layer (pre-softmax scores)."""
    assert model.layers[-1].name == "probs"
    return tf.keras.Sequential([tf.keras.Input(model.input_shape[1:], dtype=model.dtype)] + model.layers[:-1])
