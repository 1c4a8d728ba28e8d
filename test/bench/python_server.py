"""The Python side of a baseline the benchmark interleaves with its own runs (fair under a changing
machine load): warms up, prints "ready" with TensorFlow's version, then for each line "run" on stdin runs
once and prints the wall time in ms; exits at end of input."""
import json
import sys
import time


def serve(attribute, x, tensorflow_version):
    """`attribute(x)` returns tensors; each run copies them to host memory, as the TS side does."""

    def once():
        start = time.perf_counter()
        for tensor in attribute(x):
            tensor.numpy()
        return (time.perf_counter() - start) * 1000

    for _ in range(3):
        once()
    print(json.dumps({"ready": True, "tensorflow": tensorflow_version}), flush=True)
    for line in sys.stdin:
        if line.strip() == "run":
            print(json.dumps({"ms": once()}), flush=True)
