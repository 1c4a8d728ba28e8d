"""Reference maps for Guided Backprop and Grad-CAM on DAGs and models that are not chains of layers
(test/unit/interp/attribution-dag.test.ts), computed by Keras 3 / TensorFlow (Python, float64) on the
SAME Keras fixture files the test loads (test/reference/models/keras/*.keras, written by
generate_keras.py), independently of the TS code:

- `residual`: a functional residual block (Conv2D, BatchNorm, ReLU layer, Add, Activation("relu"),
  ZeroPadding2D, AveragePooling2D, LeakyReLU, Concatenate, Flatten, Dense).
- `cnn`: Conv2D with a relu activation, BatchNorm, MaxPooling2D, DepthwiseConv2D, ReLU(max_value=6),
  GlobalAveragePooling2D, Dense with softmax (a chain, but of layers the chain reader does not take).

Each model is cloned in float64 (keras.models.clone_model, weights copied by layer name), its final
softmax dropped (the logits are explained).
- Guided Backprop: every ReLU (ReLU layers, Activation("relu"), a layer's relu activation) replaced by
  a tf.custom_gradient whose backward pass is relu(dy) * (x > 0), and ReLU6 by one with
  relu(dy) * (0 < x < 6); LeakyReLU keeps its gradient (Captum guides only ReLUs). GradientTape.
- Grad-CAM (Selvaraju et al.) at named layers, also inside a branch: keras.Model(input, [layer output,
  logits]) under GradientTape; alpha = spatial mean of the gradient w.r.t. the layer's output;
  relu(sum_k alpha_k A^k); upsampled to the input by tf.image.resize(method="bilinear"), i.e.
  half-pixel centres, align_corners=False (TF2's only convention, and PyTorch's F.interpolate with
  align_corners=False).

    npm run setup:python
    .cache/python/bin/python test/reference/interp/generate_attribution_dag.py   ->  attribution-dag.json
"""
import json
import os

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
CASES = {"residual": ["block_conv2", "shortcut", "block_out"], "cnn": ["conv1", "depthwise", "relu6"]}


@tf.custom_gradient
def guided_relu(x):
    def grad(dy):
        return tf.nn.relu(dy) * tf.cast(x > 0, dy.dtype)

    return tf.nn.relu(x), grad


@tf.custom_gradient
def guided_relu6(x):
    def grad(dy):
        return tf.nn.relu(dy) * tf.cast((x > 0) & (x < 6), dy.dtype)

    return tf.nn.relu6(x), grad


def float64_clone(model, guided):
    """The model in float64 without its final softmax; with `guided`, every ReLU/ReLU6 the guided one."""
    last = model.layers[-1].name

    def clone(layer):
        config = layer.get_config()
        config["dtype"] = "float64"
        if layer.name == last and config.get("activation") == "softmax":
            config["activation"] = "linear"
        if guided:
            if isinstance(layer, layers.ReLU):
                assert config["negative_slope"] == 0 and config["threshold"] == 0, config
                fn = guided_relu6 if config["max_value"] == 6 else guided_relu
                assert config["max_value"] in (None, 6), config
                return layers.Lambda(fn, name=layer.name, dtype="float64")
            if config.get("activation") == "relu":
                config["activation"] = guided_relu
        return layer.__class__.from_config(config)

    copy = keras.models.clone_model(model, clone_function=clone, input_tensors=keras.Input(model.input_shape[1:], dtype="float64"))
    for layer in model.layers:
        weights = layer.get_weights()
        if weights:
            copy.get_layer(layer.name).set_weights([w.astype(np.float64) for w in weights])
    return copy


def guided_backprop(model, x, targets):
    f = float64_clone(model, guided=True)
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        score = tf.reduce_sum(f(x) * tf.one_hot(targets, f.output_shape[-1], dtype=x.dtype))
    return tape.gradient(score, x).numpy()


def gradient(f, x, targets):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        score = tf.reduce_sum(f(x) * tf.one_hot(targets, f.output_shape[-1], dtype=x.dtype))
    return tape.gradient(score, x).numpy()


def with_layer_output(f, layer_name):
    """x -> (the layer's output, the logits): a two-output functional model, or a Sequential's layers in turn."""
    if not isinstance(f, keras.Sequential):
        return keras.Model(f.input, [f.get_layer(layer_name).output, f.output])

    def run(x):
        a = None
        for layer in f.layers:
            x = layer(x)
            a = x if layer.name == layer_name else a
        return a, x

    return run


def grad_cam(f, x, targets, layer_name):
    both = with_layer_output(f, layer_name)
    with tf.GradientTape() as tape:
        a, logits = both(tf.constant(x))
        score = tf.reduce_sum(logits * tf.one_hot(targets, logits.shape[-1], dtype=logits.dtype))
    grad = tape.gradient(score, a)
    alpha = tf.reduce_mean(grad, axis=[1, 2], keepdims=True)
    cam = tf.nn.relu(tf.reduce_sum(alpha * a, axis=-1, keepdims=True))
    return tf.image.resize(cam, x.shape[1:3], method="bilinear").numpy()


def main():
    rng = np.random.default_rng(17)
    out = {"generator": "test/reference/interp/generate_attribution_dag.py", "tensorflow": tf.__version__, "keras": keras.__version__, "cases": {}}
    flat = lambda a: np.asarray(a).ravel().tolist()  # noqa: E731
    for name, cam_layers in CASES.items():
        file = f"test/reference/models/keras/{name}.keras"
        model = keras.models.load_model(os.path.join(ROOT, file))
        x = np.round(rng.normal(0.3, 1, size=(3, *model.input_shape[1:])), 4).astype(np.float64)
        f = float64_clone(model, guided=False)
        logits = f(x).numpy()
        # The first row's prediction, and two other classes (the map of a class not predicted too).
        targets = np.array([logits[0].argmax(), 2, 4])
        out["cases"][name] = {
            "file": file,
            "shape": list(x.shape),
            "input": flat(x),
            "targets": targets.tolist(),
            "logits": flat(logits),
            "gradient": flat(gradient(f, x, targets)),
            "guidedBackprop": flat(guided_backprop(model, x, targets)),
            "gradCam": {layer: flat(grad_cam(f, x, targets, layer)) for layer in cam_layers},
        }
    with open(os.path.join(HERE, "attribution-dag.json"), "w") as fh:
        json.dump(out, fh)
        fh.write("\n")


if __name__ == "__main__":
    main()
