#!/usr/bin/env python3
"""Reference concept masks for src/core/interp/dissection (digitConcepts), computed with
scikit-image and scipy.ndimage on the first 300 digits of examples/digits/digits.csv.gz (file order):

- ink: pixel / 16 >= 0.5
- enclosed-loop: scipy.ndimage.binary_fill_holes(ink) & ~ink
- vertical-stroke: scipy.ndimage.binary_opening(ink, np.ones((3, 1)))
- top-bar: scipy.ndimage.binary_opening(ink, np.ones((1, 3))) on the top two rows of the ink
- endpoint: skimage.morphology.thin(ink) (Guo & Hall 1989), pixels with exactly one 8-neighbour on
  it (scipy.ndimage.convolve), dilated by np.ones((3, 3)), & ink

Run from the repository root (Python from `npm run setup:python`):
    .cache/python/bin/python test/reference/interp/generate_concepts.py  ->  test/reference/interp/concepts.json
Each mask is a string of 64 '0'/'1' characters, row-major.
"""
import gzip
import json
import os
import sys

import numpy as np
import scipy
import skimage
from scipy import ndimage as ndi
from skimage.morphology import thin

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
ROWS = 300


def concepts(ink):
    loop = ndi.binary_fill_holes(ink) & ~ink
    vertical = ndi.binary_opening(ink, np.ones((3, 1)))
    top = np.argmax(ink.any(axis=1)) if ink.any() else ink.shape[0]
    bar = ndi.binary_opening(ink, np.ones((1, 3)))
    bar[top + 2:, :] = False
    skeleton = thin(ink)
    neighbours = ndi.convolve(skeleton.astype(int), np.array([[1, 1, 1], [1, 0, 1], [1, 1, 1]]), mode="constant")
    ends = skeleton & (neighbours == 1)
    endpoint = ndi.binary_dilation(ends, np.ones((3, 3))) & ink
    return {"enclosed-loop": loop, "vertical-stroke": vertical, "top-bar": bar, "endpoint": endpoint}


def bits(mask):
    return "".join("1" if v else "0" for v in mask.ravel())


if __name__ == "__main__":
    with gzip.open(os.path.join(ROOT, "examples", "digits", "digits.csv.gz"), "rt") as f:
        table = np.array([[int(v) for v in line.split(",")] for line in f if line.strip()][:ROWS])
    images = (table[:, :64] / 16.0).reshape(-1, 8, 8)
    masks = [concepts(image >= 0.5) for image in images]
    out = {
        "meta": {"generator": "test/reference/interp/generate_concepts.py", "python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__, "skimage": skimage.__version__},
        "rows": ROWS,
        "threshold": 0.5,
        "labels": table[:, 64].tolist(),
        "masks": {name: [bits(m[name]) for m in masks] for name in masks[0]},
    }
    with open(os.path.join(HERE, "concepts.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print("wrote test/reference/interp/concepts.json")
