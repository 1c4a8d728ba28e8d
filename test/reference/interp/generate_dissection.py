#!/usr/bin/env python3
"""Reference values for src/core/interp/dissection/dissect.ts (Bau et al. 2017), in numpy with
scikit-image's resize, independently of the TypeScript (which upsamples with tfjs and counts
bit-packed masks):

- per unit, the threshold np.quantile(maps[..., k], 0.8) over every image and position;
- the map upsampled to the masks' 8 x 8 by skimage.transform.resize(order=1, mode="edge",
  anti_aliasing=False) (bilinear with pixel centres aligned), thresholded with >;
- IoU = sum over images of |M & L| / sum of |M | L|.

Inputs: 60 activation maps 3 x 3 x 5 drawn with a fixed seed (unit 0 planted to follow the
enclosed-loop masks, unit 1 the vertical strokes), and the concept masks of the first 60 digits
from concepts.json (run generate_concepts.py first).
Run from the repository root (Python from `npm run setup:python`):
    .cache/python/bin/python test/reference/interp/generate_dissection.py  ->  dissection.json
"""
import json
import os
import sys

import numpy as np
import skimage
from skimage.transform import resize

HERE = os.path.dirname(os.path.abspath(__file__))
N, H, W, K = 60, 3, 3, 5
QUANTILE = 0.8


def upsample(m):
    return resize(m, (8, 8), order=1, mode="edge", anti_aliasing=False)


def main():
    concepts = json.load(open(os.path.join(HERE, "concepts.json")))
    names = list(concepts["masks"])
    masks = {c: np.array([[int(b) for b in s] for s in concepts["masks"][c][:N]], dtype=bool).reshape(N, 8, 8) for c in names}
    rng = np.random.default_rng(2017)
    maps = rng.normal(size=(N, H, W, K))
    # Planted detectors: the concept's mask averaged down to the 3 x 3 grid, plus noise.
    for unit, concept in [(0, "enclosed-loop"), (1, "vertical-stroke")]:
        coarse = masks[concept].reshape(N, 8, 8).astype(float)
        pooled = resize(coarse.transpose(1, 2, 0), (H, W), order=1, mode="edge", anti_aliasing=True).transpose(2, 0, 1)
        maps[..., unit] = 4 * pooled + 0.2 * rng.normal(size=(N, H, W))
    maps = np.round(maps, 4)
    thresholds = [float(np.quantile(maps[..., k].astype(np.float32).astype(np.float64), QUANTILE)) for k in range(K)]
    ious = []
    for k in range(K):
        up = np.stack([upsample(maps[i, :, :, k].astype(np.float32).astype(np.float64)) for i in range(N)])
        above = up > thresholds[k]
        ious.append([float((above & masks[c]).sum() / max(1, (above | masks[c]).sum())) for c in names])
    out = {
        "meta": {"generator": "test/reference/interp/generate_dissection.py", "python": sys.version.split()[0], "numpy": np.__version__, "skimage": skimage.__version__},
        "shape": [N, H, W, K], "quantile": QUANTILE, "concepts": names,
        "maps": maps.ravel().tolist(), "thresholds": thresholds, "iou": ious,
        "upsampled_unit2_image0": upsample(maps[0, :, :, 2].astype(np.float32).astype(np.float64)).ravel().tolist(),
    }
    with open(os.path.join(HERE, "dissection.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print("wrote test/reference/interp/dissection.json")


if __name__ == "__main__":
    main()
