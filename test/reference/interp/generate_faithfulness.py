"""Reference values for the faithfulness curves (test/unit/interp/faithfulness.test.ts): the blurred
canvas of insertion curves, from scipy.ndimage.gaussian_filter over the two image axes only (mode
"reflect", truncate 3), on random images and on real digits.

    npm run setup:python
    .cache/python/bin/python test/reference/interp/generate_faithfulness.py   ->  faithfulness.json
"""
import gzip
import json
import os

import numpy as np
import scipy
from scipy.ndimage import gaussian_filter

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def main():
    rng = np.random.default_rng(20261202)
    with gzip.open(os.path.join(ROOT, "examples", "digits", "digits.csv.gz"), "rt") as f:
        table = np.loadtxt(f, delimiter=",")
    digits = (table[[0, 7, 42], :64] / 16).reshape(3, 8, 8, 1)
    cases = []
    for images, sigma in [(rng.uniform(size=(2, 6, 7, 2)), 1.0), (rng.uniform(size=(2, 6, 7, 2)), 1.7), (digits, 1.0), (digits, 0.4)]:
        blurred = gaussian_filter(images, sigma=(0, sigma, sigma, 0), mode="reflect", truncate=3.0)
        cases.append({"shape": list(images.shape), "sigma": sigma, "images": images.ravel().tolist(), "blurred": blurred.ravel().tolist()})
    with open(os.path.join(HERE, "faithfulness.json"), "w") as f:
        json.dump({"generator": f"scipy {scipy.__version__}", "blur": cases}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
