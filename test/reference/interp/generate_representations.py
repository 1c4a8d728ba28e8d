#!/usr/bin/env python3
"""Reference values for src/core/interp selectivity, CKA and linear probes, computed with numpy and
scikit-learn, independently of the TypeScript code (different formulations where one exists).

Run from the repository root:  python3 test/reference/interp/generate_representations.py
It rewrites test/reference/interp/{selectivity,cka,probe}.json. Inputs are drawn from numpy with
fixed seeds, rounded to 4 decimals and written into the same files, so the tests feed the TypeScript
functions exactly the numbers the references were computed from (activations as float32, as a
Float32Array holds them).

- selectivity: class selectivity index per unit, (mu_max - mu_-max) / (mu_max + mu_-max + 1e-7),
  on post-ReLU activations, conv maps spatially averaged first (Morcos et al. 2018).
- cka: Kornblith et al.'s published numpy formulation (gram matrices, `center_gram`, with the
  U-centering of Szekely & Rizzo for the debiased estimator); the TypeScript code uses Song et al.'s
  (2012) closed-form unbiased HSIC instead, so agreement checks the algebra, not a copy.
- probe: sklearn LogisticRegression (multinomial, lbfgs, L2 with C) on standardised features.
"""
import gzip
import hashlib
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
META = {
    "generator": "test/reference/interp/generate_representations.py",
    "python": sys.version.split()[0],
    "numpy": np.__version__,
    "sklearn": sklearn.__version__,
}


def short(a):
    """4 decimals: small fixtures, and the exact doubles the TypeScript side parses."""
    return np.round(np.asarray(a, dtype=np.float64), 4)


def f32(a):
    """What a Float32Array holding these values contains."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def write(name, payload):
    with open(os.path.join(HERE, f"{name}.json"), "w") as f:
        json.dump({"meta": META, **payload}, f, separators=(",", ":"))
        f.write("\n")


# --- class selectivity -------------------------------------------------------------------------

def selectivity(acts, labels, classes, eps=1e-7):
    per_unit = acts.reshape(acts.shape[0], -1, acts.shape[-1]).mean(axis=1)
    means = np.stack([per_unit[labels == c].mean(axis=0) for c in range(classes)], axis=1)  # [units, classes]
    mu_max = means.max(axis=1)
    mu_rest = (means.sum(axis=1) - mu_max) / (classes - 1)
    return (mu_max - mu_rest) / (mu_max + mu_rest + eps), means.argmax(axis=1)


def selectivity_cases():
    rng = np.random.default_rng(20261123)
    cases = []
    for name, shape in [("dense", (150, 12)), ("conv", (90, 3, 3, 5))]:
        n, classes = shape[0], 5
        labels = rng.permutation(np.arange(n) % classes)
        pre = rng.normal(size=shape) + rng.normal(scale=1.5, size=(classes,) + shape[1:])[labels]
        acts = short(np.maximum(pre, 0))
        acts[..., 0] = 0.0  # a dead unit
        acts[..., 1] = short(np.where((labels == 3).reshape((n,) + (1,) * (len(shape) - 2)), rng.uniform(0.5, 2, size=shape[:-1]), 0))  # fires for class 3 only
        index, preferred = selectivity(f32(acts), labels, classes)
        cases.append({
            "name": name, "shape": list(shape), "activations": acts.ravel().tolist(), "labels": labels.tolist(),
            "index": index.tolist(), "preferred": preferred.tolist(),
        })
    return cases


def digits_mlp_activations(rows=400):
    """The shipped digits MLP's hidden layers on the first `rows` digits of the CSV (file order), with
    the activations computed here in numpy from model.json + weights.bin, not by tfjs.
    Returns (dense1, dense2, labels, sha256 of weights.bin)."""
    folder = os.path.join(ROOT, "examples", "digits", "models", "mlp")
    with open(os.path.join(folder, "model.json")) as f:
        manifest = json.load(f)["weightsManifest"]
    raw = open(os.path.join(folder, "weights.bin"), "rb").read()
    weights, offset = {}, 0
    for spec in manifest[0]["weights"]:
        size = int(np.prod(spec["shape"]))
        weights[spec["name"]] = np.frombuffer(raw, dtype=np.float32, count=size, offset=offset).reshape(spec["shape"]).astype(np.float64)
        offset += 4 * size
    with gzip.open(os.path.join(ROOT, "examples", "digits", "digits.csv.gz"), "rt") as f:
        table = np.array([[int(v) for v in line.split(",")] for line in f if line.strip()][:rows])
    x, labels = table[:, :64] / 16.0, table[:, 64]
    dense1 = np.maximum(x @ weights["dense1/kernel"] + weights["dense1/bias"], 0)
    dense2 = np.maximum(dense1 @ weights["dense2/kernel"] + weights["dense2/bias"], 0)
    return dense1, dense2, labels, hashlib.sha256(raw).hexdigest()


def digits_mlp_case(rows=400):
    dense1, dense2, labels, sha = digits_mlp_activations(rows)
    layers = {}
    for name, acts in [("dense1", dense1), ("dense2", dense2)]:
        index, preferred = selectivity(acts, labels, 10)
        layers[name] = {"index": index.tolist(), "preferred": preferred.tolist()}
    return {
        "rows": rows, "weights_sha256": sha, "layers": layers,
        "cka_dense1_dense2": {
            "linear": cka(gram_linear(dense1), gram_linear(dense2)),
            "debiased_linear": cka(gram_linear(dense1), gram_linear(dense2), debiased=True),
            "rbf_median_1": cka(gram_rbf(dense1), gram_rbf(dense2)),
        },
    }


# --- CKA (Kornblith et al. 2019, numpy formulation from their published notebook) --------------

def gram_linear(x):
    return x @ x.T


def gram_rbf(x, threshold=1.0, sigma=None):
    dot = x @ x.T
    sq = np.diag(dot)
    sq_dist = -2 * dot + sq[:, None] + sq[None, :]
    if sigma is None:
        return np.exp(-sq_dist / (2 * threshold**2 * np.median(sq_dist)))
    return np.exp(-sq_dist / (2 * sigma**2))


def center_gram(gram, unbiased=False):
    gram = gram.copy()
    if unbiased:
        n = gram.shape[0]
        np.fill_diagonal(gram, 0)
        means = np.sum(gram, 0) / (n - 2)
        means -= np.sum(means) / (2 * (n - 1))
        gram -= means[:, None]
        gram -= means[None, :]
        np.fill_diagonal(gram, 0)
    else:
        means = np.mean(gram, 0)
        means -= np.mean(means) / 2
        gram -= means[:, None]
        gram -= means[None, :]
    return gram


def cka(gx, gy, debiased=False):
    gx = center_gram(gx, debiased)
    gy = center_gram(gy, debiased)
    return float(gx.ravel() @ gy.ravel() / (np.linalg.norm(gx) * np.linalg.norm(gy)))


def cka_cases():
    rng = np.random.default_rng(7)
    n = 64
    x = short(rng.normal(size=(n, 10)))
    y = short(np.tanh(x @ rng.normal(size=(10, 6))) + 0.3 * rng.normal(size=(n, 6)))
    z = short(rng.normal(size=(n, 8)))
    pairs = {"x_y": (x, y), "x_z": (x, z), "y_z": (y, z)}
    values = {}
    for key, (a, b) in pairs.items():
        values[key] = {
            "linear": cka(gram_linear(a), gram_linear(b)),
            "rbf_median_1": cka(gram_rbf(a, 1.0), gram_rbf(b, 1.0)),
            "rbf_median_0.5": cka(gram_rbf(a, 0.5), gram_rbf(b, 0.5)),
            "rbf_sigma_3": cka(gram_rbf(a, sigma=3.0), gram_rbf(b, sigma=3.0)),
            "debiased_linear": cka(gram_linear(a), gram_linear(b), debiased=True),
            "debiased_rbf_median_1": cka(gram_rbf(a, 1.0), gram_rbf(b, 1.0), debiased=True),
        }
    return {"n": n, "x": x.tolist(), "y": y.tolist(), "z": z.tolist(), "values": values}


# --- linear probe -------------------------------------------------------------------------------

def probe_case():
    features, labels = make_classification(
        n_samples=600, n_features=20, n_informative=8, n_redundant=4, n_classes=4, n_clusters_per_class=1,
        class_sep=0.8, flip_y=0.05, random_state=0,
    )
    features = short(features)
    train, test = np.arange(450), np.arange(450, 600)
    mean, std = features[train].mean(0), features[train].std(0)
    z = (features - mean) / std
    c = 0.05
    model = LogisticRegression(C=c, max_iter=10000, tol=1e-10).fit(z[train], labels[train])
    return {
        "features": features.tolist(), "labels": labels.tolist(), "train": train.tolist(), "test": test.tolist(),
        "C": c, "l2": 1 / (c * len(train)),
        "train_accuracy": float(model.score(z[train], labels[train])),
        "test_accuracy": float(model.score(z[test], labels[test])),
        "test_probabilities": model.predict_proba(z[test]).tolist(),
    }


if __name__ == "__main__":
    write("selectivity", {"epsilon": 1e-7, "cases": selectivity_cases(), "digits_mlp": digits_mlp_case()})
    write("cka", cka_cases())
    write("probe", probe_case())
    print("wrote", ", ".join(f"test/reference/interp/{n}.json" for n in ("selectivity", "cka", "probe")))
