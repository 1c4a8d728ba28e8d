#!/usr/bin/env python3
"""ONNX fixture models and their ONNX Runtime outputs, for src/core/data/onnx.

Run from the repository root (needs the `onnx`, `onnxruntime` and `numpy` wheels: `npm run setup:python`):
    .cache/python/bin/python test/reference/models/generate_onnx.py
It rewrites test/reference/models/onnx/*.onnx and onnx.json. Every model is built with onnx.helper,
checked by onnx.checker, named the way torch.onnx.export names things (nodes `/layer1/layer1.0/conv1/Conv`,
parameters `layer1.0.conv1.weight`), and run by ONNX Runtime on an input drawn from numpy with a fixed
seed and rounded to 4 decimals; the JSON holds that input and ONNX Runtime's output (float32 values,
layout as ONNX Runtime returns them: NCHW for images). The TypeScript tests feed the same input to the
imported tfjs model and compare, so the reference is ONNX Runtime, never the importer.

With `--digits` it also trains examples/digits/models/resnet.onnx (needs `keras` and `tensorflow_cpu` too).

Cases: one small graph per supported op form (the `ops` list), whole small networks (`resnet`: a
ResNet-style stem and two basic blocks, one with a downsample, global average pool, the
Shape/Gather/Unsqueeze/Concat/Reshape flatten older exporters emit and a Gemm classifier;
`mobilenet`: a MobileNetV2 inverted residual with ReLU6 as Clip and a depthwise Conv; `mlp`), and
`unsupported` (a TopK node, refused at load).

examples/digits/models/resnet.onnx (the worked example 09): the same ResNet-style topology for the
8x8 digits, trained with Keras on the seeded train split that `loadDigits()` makes (the indices are
read from the TypeScript loader, so both sides mean the same images), then written as ONNX with
torch.onnx.export's names and checked: ONNX Runtime on the ONNX file must reproduce Keras's logits.
"""
import gzip
import json
import os
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from reference import HERE, float32_list, reference_case, short, write

OUT = os.path.join(HERE, "onnx")
OPSET = 17
rng = np.random.default_rng(15)


def param(shape, scale=0.5):
    return short(rng.normal(0, scale, size=shape))


class Graph:
    """Collects nodes and initializers; names follow torch.onnx.export."""

    def __init__(self):
        self.nodes, self.inits, self.count = [], [], {}

    def init(self, name, array, dtype=np.float32):
        self.inits.append(numpy_helper.from_array(np.asarray(array, dtype=dtype), name))
        return name

    def node(self, op, inputs, scope="", outputs=1, **attrs):
        base = f"{scope}/{op}" if scope else f"/{op}"
        k = self.count.get(base, 0)
        self.count[base] = k + 1
        name = base if k == 0 else f"{base}_{k}"
        outs = [f"{name}_output_{i}" for i in range(outputs)]
        self.nodes.append(helper.make_node(op, inputs, outs, name=name, **attrs))
        return outs[0] if outputs == 1 else outs

    def model(self, x_shape, out, inputs=None):
        inputs = inputs or [helper.make_tensor_value_info("input", TensorProto.FLOAT, x_shape)]
        graph = helper.make_graph(self.nodes, "falsify_fixture", inputs, [onnx.ValueInfoProto(name=out)], self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="falsify-fixtures")
        model.ir_version = 8
        # The output's type and shape as ONNX's own shape inference finds them (strict: errors raise).
        inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
        model.graph.output[0].CopyFrom(inferred.graph.output[0])
        onnx.checker.check_model(model, full_check=True)
        return model


def conv(g, x, module, cin, cout, k, stride=1, pad=None, group=1, dilation=1, bias=True, scope=None, weight_name=None, **extra):
    w = g.init(weight_name or f"{module}.weight", param((cout, cin // group, k, k), scale=1 / np.sqrt(cin // group * k * k)))
    inputs = [x, w] + ([g.init(f"{module}.bias", param((cout,), 0.1))] if bias else [])
    attrs = dict(kernel_shape=[k, k], strides=[stride, stride], group=group, dilations=[dilation, dilation], **extra)
    if "auto_pad" not in extra:
        p = (k - 1) * dilation // 2 if pad is None else pad
        attrs["pads"] = p if isinstance(p, list) else [p, p, p, p]
    return g.node("Conv", inputs, scope or "/" + module.replace(".", "/"), **attrs)


def bn(g, x, module, c, scope=None):
    names = [g.init(f"{module}.{p}", v) for p, v in [
        ("weight", 1 + param((c,), 0.2)), ("bias", param((c,), 0.2)),
        ("running_mean", param((c,), 0.2)), ("running_var", 0.5 + np.abs(param((c,), 0.5)))]]
    return g.node("BatchNormalization", [x] + names, scope or "/" + module.replace(".", "/"), epsilon=1e-5)


def torch_scope(module):
    """torch.onnx.export's scope of a module: layer1.0.conv1 -> /layer1/layer1.0/conv1."""
    out = []
    for p in module.split("."):
        out.append(f"{out[-1]}.{p}" if p.isdigit() else p)
    return "/" + "/".join(out)


# --- whole networks ------------------------------------------------------------------------------

def resnet():
    g = Graph()
    x = conv(g, "input", "conv1", 3, 8, 3, stride=1, bias=False, scope="/conv1")
    x = bn(g, x, "bn1", 8, scope="/bn1")
    x = g.node("Relu", [x], "/relu")
    x = g.node("MaxPool", [x], "/maxpool", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])

    def block(x, name, cin, cout, stride):
        s = torch_scope(name)
        h = conv(g, x, f"{name}.conv1", cin, cout, 3, stride=stride, bias=False, scope=f"{s}/conv1")
        h = bn(g, h, f"{name}.bn1", cout, scope=f"{s}/bn1")
        h = g.node("Relu", [h], f"{s}/relu")
        h = conv(g, h, f"{name}.conv2", cout, cout, 3, bias=False, scope=f"{s}/conv2")
        h = bn(g, h, f"{name}.bn2", cout, scope=f"{s}/bn2")
        if stride != 1 or cin != cout:
            x = conv(g, x, f"{name}.downsample.0", cin, cout, 1, stride=stride, pad=0, bias=False, scope=f"{s}/downsample/downsample.0")
            x = bn(g, x, f"{name}.downsample.1", cout, scope=f"{s}/downsample/downsample.1")
        h = g.node("Add", [h, x], s)
        return g.node("Relu", [h], f"{s}/relu_1")

    x = block(x, "layer1.0", 8, 8, 1)
    x = block(x, "layer2.0", 8, 16, 2)
    x = g.node("GlobalAveragePool", [x], "/avgpool")
    # torch.flatten(x, 1) as exporters before Flatten was common wrote it.
    shape = g.node("Shape", [x], "")
    batch = g.node("Gather", [shape, g.init("gather_index", 0, np.int64)], "", axis=0)
    batch = g.node("Unsqueeze", [batch, g.init("unsqueeze_axes", [0], np.int64)], "")
    target = g.node("Concat", [batch, g.init("minus_one", [-1], np.int64)], "", axis=0)
    x = g.node("Reshape", [x, target], "")
    w = g.init("fc.weight", param((10, 16), 0.3))
    b = g.init("fc.bias", param((10,), 0.1))
    x = g.node("Gemm", [x, w, b], "/fc", alpha=1.0, beta=1.0, transB=1)
    return g.model(["batch", 3, 16, 16], x), (2, 3, 16, 16)


def mobilenet():
    g = Graph()
    x = conv(g, "input", "features.0.0", 3, 8, 3, stride=2, bias=False, scope="/features/features.0/features.0.0")
    x = bn(g, x, "features.0.1", 8, scope="/features/features.0/features.0.1")
    relu6 = lambda h, s: g.node("Clip", [h, g.init(f"{s}.min", 0.0), g.init(f"{s}.max", 6.0)], s.replace(".", "/"))
    x = relu6(x, "features.0.2")
    s = "/features/features.1/conv"
    h = conv(g, x, "features.1.conv.0.0", 8, 24, 1, pad=0, bias=False, scope=f"{s}/conv.0/conv.0.0")
    h = bn(g, h, "features.1.conv.0.1", 24, scope=f"{s}/conv.0/conv.0.1")
    h = relu6(h, "features.1.conv.0.2")
    # As exporters that fold constants name parameters: the module is only in the node's scope.
    h = conv(g, h, "features.1.conv.1.0", 24, 24, 3, group=24, bias=False, scope=f"{s}/conv.1/conv.1.0", weight_name="onnx::Conv_71")
    h = bn(g, h, "features.1.conv.1.1", 24, scope=f"{s}/conv.1/conv.1.1")
    h = relu6(h, "features.1.conv.1.2")
    h = conv(g, h, "features.1.conv.2", 24, 8, 1, pad=0, bias=False, scope=f"{s}/conv.2")
    h = bn(g, h, "features.1.conv.3", 8, scope=f"{s}/conv.3")
    x = g.node("Add", [x, h], "/features/features.1")
    x = g.node("GlobalAveragePool", [x], "")
    x = g.node("Flatten", [x], "", axis=1)
    w = g.init("classifier.1.weight", param((5, 8), 0.3))
    b = g.init("classifier.1.bias", param((5,), 0.1))
    x = g.node("Gemm", [x, w, b], "/classifier/classifier.1", transB=1)
    return g.model(["batch", 3, 16, 16], x), (2, 3, 16, 16)


def mlp():
    g = Graph()
    x = g.node("Gemm", ["input", g.init("fc1.weight", param((16, 12), 0.4)), g.init("fc1.bias", param((16,), 0.1))], "/fc1", transB=1)
    x = g.node("Relu", [x], "/relu")
    x = g.node("MatMul", [x, g.init("fc2.weight_t", param((16, 8), 0.4))], "/fc2")
    x = g.node("Add", [x, g.init("fc2.bias", param((8,), 0.1))], "/fc2")
    x = g.node("Tanh", [x], "/tanh")
    x = g.node("Gemm", [x, g.init("fc3.weight", param((4, 8), 0.4)), g.init("fc3.bias", param((4,), 0.1))], "/fc3", transB=1)
    x = g.node("Softmax", [x], "/softmax", axis=-1)
    return g.model(["batch", 12], x), (3, 12)


def unsupported():
    g = Graph()
    x = g.node("Relu", ["input"], "/relu")
    _, idx = g.node("TopK", [x, g.init("k", [2], np.int64)], "/topk", outputs=2, axis=-1)
    return g.model(["batch", 6], x), (1, 6)


# --- one graph per op form -----------------------------------------------------------------------

def single(op_builder, x_shape, name=None):
    g = Graph()
    out = op_builder(g, "input")
    return g.model(["batch", *x_shape[1:]], out), x_shape


def ops():
    img = (2, 4, 5, 5)
    c = lambda **kw: (lambda g, x: conv(g, x, "conv", 4, kw.pop("cout", 6), kw.pop("k", 3), **kw))
    cases = {
        "conv": (c(), img),
        "conv_no_bias_stride2": (c(stride=2, bias=False), img),
        "conv_asymmetric_pads": (c(pad=[0, 1, 2, 1], stride=2), img),
        "conv_dilation2": (c(dilation=2), img),
        "conv_groups2": (c(group=2), img),
        "conv_depthwise": (c(group=4, cout=4), img),
        "conv_depthwise_multiplier2": (c(group=4, cout=8), img),
        "conv_auto_pad_same_upper": (c(stride=2, auto_pad="SAME_UPPER"), img),
        "conv_auto_pad_same_lower": (c(stride=2, auto_pad="SAME_LOWER"), img),
        "conv_auto_pad_valid": (c(auto_pad="VALID"), img),
        "conv_transpose": (lambda g, x: g.node("ConvTranspose", [x, g.init("up.weight", param((4, 3, 3, 3), 0.3)), g.init("up.bias", param((3,), 0.1))], "/up",
                                                 kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], output_padding=[1, 1]), img),
        "conv_transpose_valid": (lambda g, x: g.node("ConvTranspose", [x, g.init("up.weight", param((4, 2, 2, 2), 0.3))], "/up", kernel_shape=[2, 2], strides=[2, 2]), img),
        "gemm": (lambda g, x: g.node("Gemm", [x, g.init("fc.weight", param((5, 6))), g.init("fc.bias", param((5,)))], "/fc", transB=1, alpha=0.5, beta=2.0), (3, 6)),
        "gemm_untransposed": (lambda g, x: g.node("Gemm", [x, g.init("fc.weight", param((6, 5))), g.init("fc.bias", param((1, 5)))], "/fc"), (3, 6)),
        "matmul": (lambda g, x: g.node("MatMul", [x, g.init("w", param((6, 5)))], "/mm"), (3, 6)),
        "matmul_dynamic": (lambda g, x: g.node("MatMul", [x, g.node("Transpose", [x], "", perm=[0, 2, 1])], "/mm"), (2, 3, 4)),
        "add_channel_bias": (lambda g, x: g.node("Add", [x, g.init("b", param((4, 1, 1)))], ""), img),
        "sub_scalar": (lambda g, x: g.node("Sub", [g.init("s", np.float32(0.25)), x], ""), img),
        "mul_dynamic": (lambda g, x: g.node("Mul", [x, g.node("Sigmoid", [x], "")], ""), img),
        "div_row": (lambda g, x: g.node("Div", [x, g.init("d", 1 + np.abs(param((5,))))], ""), img),
        "relu": (lambda g, x: g.node("Relu", [x], ""), img),
        "leaky_relu": (lambda g, x: g.node("LeakyRelu", [x], "", alpha=0.2), img),
        "clip_relu6": (lambda g, x: g.node("Clip", [g.node("Mul", [x, g.init("k", np.float32(8))], ""), g.init("lo", np.float32(0)), g.init("hi", np.float32(6))], ""), img),
        "clip_min_only": (lambda g, x: g.node("Clip", [x, g.init("lo", np.float32(-0.5))], ""), img),
        "sigmoid": (lambda g, x: g.node("Sigmoid", [x], ""), img),
        "tanh": (lambda g, x: g.node("Tanh", [x], ""), img),
        "softmax": (lambda g, x: g.node("Softmax", [x], "", axis=-1), (3, 6)),
        "softmax_channels": (lambda g, x: g.node("Softmax", [x], "", axis=1), img),
        "log_softmax": (lambda g, x: g.node("LogSoftmax", [x], "", axis=1), (3, 6)),
        "batch_norm": (lambda g, x: bn(g, x, "bn", 4), img),
        "batch_norm_1d": (lambda g, x: bn(g, x, "bn", 6), (3, 6)),
        "max_pool": (lambda g, x: g.node("MaxPool", [x], "", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]), img),
        "max_pool_same_upper": (lambda g, x: g.node("MaxPool", [x], "", kernel_shape=[2, 2], strides=[2, 2], auto_pad="SAME_UPPER"), img),
        "max_pool_ceil": (lambda g, x: g.node("MaxPool", [x], "", kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1), img),
        "average_pool": (lambda g, x: g.node("AveragePool", [x], "", kernel_shape=[2, 2], strides=[2, 2]), img),
        "average_pool_pads_exclude": (lambda g, x: g.node("AveragePool", [x], "", kernel_shape=[3, 3], strides=[1, 1], pads=[1, 1, 1, 1]), img),
        "average_pool_pads_include": (lambda g, x: g.node("AveragePool", [x], "", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], count_include_pad=1), img),
        "global_average_pool": (lambda g, x: g.node("GlobalAveragePool", [x], ""), img),
        "flatten": (lambda g, x: g.node("Flatten", [x], "", axis=1), img),
        "reshape": (lambda g, x: g.node("Reshape", [x, g.init("shape", [0, 20, -1], np.int64)], ""), img),
        "transpose": (lambda g, x: g.node("Transpose", [x], "", perm=[0, 3, 1, 2]), img),
        "concat_channels": (lambda g, x: g.node("Concat", [x, g.node("Relu", [x], "")], "", axis=1), img),
        "pad": (lambda g, x: g.node("Pad", [x, g.init("pads", [0, 0, 1, 2, 0, 0, 2, 1], np.int64), g.init("value", np.float32(0.5))], ""), img),
        "squeeze_unsqueeze": (lambda g, x: g.node("Squeeze", [g.node("Unsqueeze", [x, g.init("axes", [1], np.int64)], ""), g.init("axes2", [1], np.int64)], ""), (3, 6)),
        "squeeze_pooled": (lambda g, x: g.node("Squeeze", [g.node("GlobalAveragePool", [x], ""), g.init("axes", [2, 3], np.int64)], ""), img),
        "identity_dropout": (lambda g, x: g.node("Dropout", [g.node("Identity", [x], "")], ""), img),
        "constant": (lambda g, x: g.node("Add", [x, g.node("Constant", [], "", value=numpy_helper.from_array(param((6,)), "c"))], ""), (3, 6)),
        "slice": (lambda g, x: g.node("Slice", [x, g.init("starts", [1, 0], np.int64), g.init("ends", [3, 2**63 - 1], np.int64), g.init("axes", [1, 3], np.int64)], ""), img),
        "gather_channels": (lambda g, x: g.node("Gather", [x, g.init("idx", [2, 0], np.int64)], "", axis=1), img),
        "reduce_mean_spatial": (lambda g, x: g.node("ReduceMean", [x], "", axes=[2, 3], keepdims=1), img),
        "reduce_mean_last": (lambda g, x: g.node("ReduceMean", [x], "", axes=[-1], keepdims=0), img),
    }
    return {name: single(build, shape) for name, (build, shape) in cases.items()}


def run(model, x, outputs=None):
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(outputs, {session.get_inputs()[0].name: x})


def with_outputs(model, names):
    """A copy of `model` that also outputs the named intermediate values (ONNX Runtime then returns them)."""
    copy = onnx.ModelProto()
    copy.CopyFrom(model)
    copy.graph.output.extend([onnx.ValueInfoProto(name=n) for n in names])
    return copy


def with_zeroed_channel(model, value, channel):
    """A copy of `model` where channel `channel` of the NCHW `value` is multiplied by 0 before its consumers."""
    copy = onnx.ModelProto()
    copy.CopyFrom(model)
    channels = next(n for n in onnx.shape_inference.infer_shapes(copy).graph.value_info if n.name == value).type.tensor_type.shape.dim[1].dim_value
    mask = np.ones((1, channels, 1, 1), dtype=np.float32)
    mask[0, channel] = 0
    copy.graph.initializer.append(numpy_helper.from_array(mask, "ablation_mask"))
    nodes = list(copy.graph.node)
    for node in nodes:
        node.input[:] = ["ablated" if i == value else i for i in node.input]
    at = next(i for i, n in enumerate(nodes) if value in n.output) + 1
    nodes.insert(at, helper.make_node("Mul", [value, "ablation_mask"], ["ablated"], name="ablation"))
    del copy.graph.node[:]
    copy.graph.node.extend(nodes)
    onnx.checker.check_model(copy)
    return copy



def digits_split():
    """The train/test row indices of loadDigits() (seed 0), from the TypeScript loader itself."""
    code = 'import { loadDigits } from "./src/core/data"; const d = loadDigits(); process.stdout.write(JSON.stringify({ train: Array.from(d.train.indices), test: Array.from(d.test.indices) }));'
    root = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
    out = subprocess.run(["npx", "tsx", "-e", code], cwd=root, check=True, capture_output=True, text=True).stdout
    split = json.loads(out)
    table = np.loadtxt(gzip.open(os.path.join(root, "examples", "digits", "digits.csv.gz"), "rt"), delimiter=",")
    images, labels = (table[:, :64] / 16).astype(np.float32).reshape(-1, 8, 8, 1), table[:, 64].astype(np.int64)
    return {part: (images[idx], labels[idx]) for part, idx in split.items()}


def digits_resnet():
    """A ResNet-style digits classifier trained with Keras, as an ONNX file in PyTorch's naming (NCHW)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras
    from keras import layers

    keras.utils.set_random_seed(0)
    data = digits_split()
    inp = keras.Input((8, 8, 1))
    conv = lambda name, c, k, s=1: layers.Conv2D(c, k, strides=s, padding="same" if s == 1 else "valid", use_bias=False, name=name)
    bn = lambda name: layers.BatchNormalization(epsilon=1e-5, name=name)
    x = layers.ReLU(name="relu")(bn("bn1")(conv("conv1", 16, 3)(inp)))

    def block(x, name, c, stride):
        h = layers.ZeroPadding2D(1)(x) if stride != 1 else x
        h = layers.ReLU()(bn(f"{name}.bn1")(conv(f"{name}.conv1", c, 3, stride)(h)))
        h = bn(f"{name}.bn2")(conv(f"{name}.conv2", c, 3)(h))
        if stride != 1:
            x = bn(f"{name}.downsample.1")(conv(f"{name}.downsample.0", c, 1, stride)(x))
        return layers.ReLU()(layers.Add()([h, x]))

    x = block(block(x, "layer1.0", 16, 1), "layer2.0", 32, 2)
    out = layers.Dense(10, name="fc")(layers.GlobalAveragePooling2D()(x))
    model = keras.Model(inp, out)
    model.compile(keras.optimizers.Adam(3e-3), keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    (xtr, ytr), (xte, yte) = data["train"], data["test"]
    model.fit(xtr, ytr, epochs=25, batch_size=32, verbose=0, shuffle=True)
    accuracy = {part: float(model.evaluate(*data[part], verbose=0)[1]) for part in ("train", "test")}

    g = Graph()
    w = {l.name: l.get_weights() for l in model.layers}
    oihw = lambda name: g.init(f"{name}.weight", w[name][0].transpose(3, 2, 0, 1))

    def bn_node(x, name, scope):
        gamma, beta, mean, var = w[name]
        return g.node("BatchNormalization", [x] + [g.init(f"{name}.{p}", v) for p, v in
                      [("weight", gamma), ("bias", beta), ("running_mean", mean), ("running_var", var)]], scope, epsilon=1e-5)

    def conv_node(x, name, scope, k, stride=1):
        return g.node("Conv", [x, oihw(name)], scope, kernel_shape=[k, k], strides=[stride, stride], pads=[k // 2] * 4)

    x = g.node("Relu", [bn_node(conv_node("input", "conv1", "/conv1", 3), "bn1", "/bn1")], "/relu")
    for name, stride in [("layer1.0", 1), ("layer2.0", 2)]:
        s = torch_scope(name)
        h = g.node("Relu", [bn_node(conv_node(x, f"{name}.conv1", f"{s}/conv1", 3, stride), f"{name}.bn1", f"{s}/bn1")], f"{s}/relu")
        h = bn_node(conv_node(h, f"{name}.conv2", f"{s}/conv2", 3), f"{name}.bn2", f"{s}/bn2")
        if stride != 1:
            x = bn_node(conv_node(x, f"{name}.downsample.0", f"{s}/downsample/downsample.0", 1, stride), f"{name}.downsample.1", f"{s}/downsample/downsample.1")
        x = g.node("Relu", [g.node("Add", [h, x], s)], f"{s}/relu_1")
    x = g.node("Flatten", [g.node("GlobalAveragePool", [x], "/avgpool")], "", axis=1)
    kernel, bias = w["fc"]
    x = g.node("Gemm", [x, g.init("fc.weight", kernel.T), g.init("fc.bias", bias)], "/fc", transB=1)
    onnx_model = g.model(["batch", 1, 8, 8], x)
    [ort_logits] = run(onnx_model, xte.transpose(0, 3, 1, 2))
    gap = float(np.abs(ort_logits - model.predict(xte, verbose=0)).max())
    assert gap < 1e-4, f"ONNX Runtime and Keras disagree on the digits ResNet by {gap}"
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(HERE))), "examples", "digits", "models", "resnet.onnx")
    onnx.save(onnx_model, path)
    print(f"wrote {path}: train accuracy {accuracy['train']:.4f}, test accuracy {accuracy['test']:.4f}, |ONNX Runtime - Keras| <= {gap:.1e}")


def main():
    if "--digits" in sys.argv:
        digits_resnet()
        return
    os.makedirs(OUT, exist_ok=True)
    models = {"resnet": resnet(), "mobilenet": mobilenet(), "mlp": mlp(), **{f"op_{k}": v for k, v in ops().items()}}
    reference = {
        "generator": "test/reference/models/generate_onnx.py",
        "python": sys.version.split()[0], "onnx": onnx.__version__, "onnxruntime": ort.__version__, "numpy": np.__version__,
        "cases": {},
    }
    for name, (model, x_shape) in models.items():
        x = short(rng.normal(0, 1, size=x_shape))
        [y] = run(model, x)
        onnx.save(model, os.path.join(OUT, f"{name}.onnx"))
        reference["cases"][name] = reference_case(f"onnx/{name}.onnx", x, y)
    # Intermediate nodes' outputs and an ablated unit, by ONNX Runtime on edited copies of the model.
    for name, node, channel in [("resnet", "/layer1/layer1.0/relu_1/Relu", 3), ("mobilenet", "/features/features.1/Add", 5)]:
        model, case = models[name][0], reference["cases"][name]
        x = np.asarray(case["input"], dtype=np.float32).reshape(case["inputShape"])
        value = next(n.output[0] for n in model.graph.node if n.name == node)
        _, h = run(with_outputs(model, [value]), x)
        [ablated] = run(with_zeroed_channel(model, value, channel), x)
        case["intermediate"] = {"node": node, "shape": list(h.shape), "values": float32_list(h)}
        case["ablation"] = {"node": node, "channel": channel, "output": float32_list(ablated)}
    model, _ = unsupported()
    onnx.save(model, os.path.join(OUT, "unsupported.onnx"))
    write("onnx.json", reference)
    print(f"wrote {len(models) + 1} models to {OUT} and onnx.json")


if __name__ == "__main__":
    main()
