"""What generate_onnx.py and generate_keras.py share: how inputs are rounded, how float32 outputs are
written, and how a case and the reference file are laid out (read by test/unit/data/*-reference.ts)."""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def short(a):
    """4 decimals: small fixtures, and the exact numbers both sides read."""
    return np.round(np.asarray(a, dtype=np.float32), 4)


def float32_list(a):
    """Each value in the shortest decimal that reads back as the same float32."""
    return [float(np.format_float_positional(v, unique=True)) for v in np.asarray(a, dtype=np.float32).ravel()]


def reference_case(file, x, y):
    return {"file": file, "inputShape": list(x.shape), "input": x.ravel().tolist(), "outputShape": list(y.shape), "output": float32_list(y)}


def write(name, reference):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(reference, f, separators=(",", ":"))
        f.write("\n")
