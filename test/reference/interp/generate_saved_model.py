"""A tiny TensorFlow SavedModel for test/unit/data/model.test.ts (loading through tfjs-node):
y = x @ W + b with x [batch, 4] -> y [batch, 3], and the expected output for one input.

    python3 test/reference/interp/generate_saved_model.py
    ->  test/unit/data/fixtures/linear-saved-model/ and linear-saved-model.json
"""
import json
import os
import shutil

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.abspath(os.path.join(HERE, "..", "..", "unit", "data", "fixtures"))

W = np.arange(12, dtype=np.float32).reshape(4, 3) / 10 - 0.5
B = np.array([0.1, -0.2, 0.3], dtype=np.float32)


class Linear(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(W)
        self.b = tf.Variable(B)

    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32, name="x")])
    def __call__(self, x):
        return {"y": tf.matmul(x, self.w) + self.b}


def main():
    path = os.path.join(OUT, "linear-saved-model")
    shutil.rmtree(path, ignore_errors=True)
    module = Linear()
    tf.saved_model.save(module, path, signatures={"serving_default": module.__call__})
    x = np.array([[1, 2, 3, 4], [0, -1, 0.5, 2]], dtype=np.float32)
    with open(os.path.join(OUT, "linear-saved-model.json"), "w") as f:
        json.dump({"x": x.tolist(), "y": (x @ W + B).tolist()}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
