"""Reference values for the map-similarity measures (test/unit/interp/sanity-similarity.test.ts):
SSIM from skimage.metrics.structural_similarity and HOG descriptors from skimage.feature.hog.

    pip install --no-index --find-links /opt/pypi/files scikit-image
    python3 test/reference/interp/generate_similarity.py   ->  similarity.json

Images: random uniform maps, sparse maps with exact zeros (like digits and |attributions|), and
real digits with integer pixel counts (gradients on bin edges).
"""
import gzip
import json
import os

import numpy as np
import skimage
from skimage.feature import hog
from skimage.metrics import structural_similarity

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def main():
    rng = np.random.default_rng(20261123)
    with gzip.open(os.path.join(ROOT, "examples", "digits", "digits.csv.gz"), "rt") as f:
        table = np.loadtxt(f, delimiter=",")
    digits = [table[i, :64].reshape(8, 8) / 16 for i in (0, 7, 42)]

    ssim_cases = []
    for shape, win in [((8, 8), 7), ((8, 8), 5), ((8, 8), 3), ((12, 17), 7)]:
        for kind in ["uniform", "sparse", "related"]:
            a = rng.uniform(0, 1, shape)
            b = rng.uniform(0, 1, shape)
            if kind == "sparse":
                a[rng.uniform(size=shape) < 0.6] = 0
                b[rng.uniform(size=shape) < 0.6] = 0
            if kind == "related":
                b = np.clip(a + rng.normal(0, 0.1, shape), 0, 1)
            value = structural_similarity(a, b, win_size=win, data_range=1.0)
            ssim_cases.append({"a": a.tolist(), "b": b.tolist(), "winSize": win, "dataRange": 1.0, "ssim": float(value)})
    a, b = digits[0], digits[1]
    ssim_cases.append({"a": a.tolist(), "b": b.tolist(), "winSize": 7, "dataRange": 1.0, "ssim": float(structural_similarity(a, b, win_size=7, data_range=1.0))})
    ssim_cases.append({"a": a.tolist(), "b": (a * 16).tolist(), "winSize": 7, "dataRange": 16.0, "ssim": float(structural_similarity(a, a * 16, win_size=7, data_range=16.0))})

    hog_cases = []
    images = [rng.uniform(0, 1, (8, 8)), rng.uniform(0, 1, (16, 12)), *digits]
    settings = [
        {"orientations": 9, "pixelsPerCell": [2, 2], "cellsPerBlock": [2, 2], "blockNorm": "L2-Hys"},
        {"orientations": 9, "pixelsPerCell": [4, 4], "cellsPerBlock": [2, 2], "blockNorm": "L2-Hys"},
        {"orientations": 4, "pixelsPerCell": [2, 2], "cellsPerBlock": [3, 3], "blockNorm": "L2"},
        {"orientations": 6, "pixelsPerCell": [3, 2], "cellsPerBlock": [1, 2], "blockNorm": "L1"},
        {"orientations": 8, "pixelsPerCell": [2, 2], "cellsPerBlock": [2, 2], "blockNorm": "L1-sqrt"},
    ]
    for image in images:
        for s in settings:
            descriptor = hog(image, orientations=s["orientations"], pixels_per_cell=tuple(s["pixelsPerCell"]), cells_per_block=tuple(s["cellsPerBlock"]), block_norm=s["blockNorm"], feature_vector=True)
            hog_cases.append({"image": image.tolist(), **s, "descriptor": descriptor.tolist()})

    out = {"skimage": skimage.__version__, "ssim": ssim_cases, "hog": hog_cases}
    with open(os.path.join(HERE, "similarity.json"), "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
