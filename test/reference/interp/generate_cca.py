#!/usr/bin/env python3
"""Reference values for src/core/interp/representations/cca.ts (mean CCA, SVCCA, PWCCA), computed in
numpy with the covariance formulation of Raghu et al.'s and Morcos et al.'s published code, not with
the TypeScript's (orthonormal bases from a Gram eigendecomposition, then the cosines of the
principal angles between them):

- CCA: units with no variance are dropped (as the authors' code drops dead neurons), the covariance
  blocks Sxx, Syy, Sxy formed, Sxx^-1/2 Sxy Syy^-1/2 decomposed by np.linalg.svd; its singular values
  are the canonical correlations.
- SVCCA: np.linalg.svd of each centered representation, keeping the fewest leading singular
  directions whose squared singular values reach the kept fraction of the total, then CCA of U_k S_k.
- PWCCA: on the side with fewer dimensions, the canonical variates h_i = X Sxx^-1/2 u_i, made
  orthonormal by np.linalg.qr, and alpha_i = sum_j |<h_i, x_j>| over the centered units x_j
  (the authors' code takes the uncentered units; the paper's definition, used here and in Falsify,
  is on the centered activations CCA works with).

Run from the repository root (Python from `npm run setup:python`):
    .cache/python/bin/python test/reference/interp/generate_cca.py   ->  test/reference/interp/cca.json
Inputs are drawn with fixed seeds and rounded to 4 decimals, and written into the file, so the tests
feed the TypeScript exactly the numbers the references were computed from.
"""
import json
import os
import sys

import numpy as np

from generate_representations import digits_mlp_activations, short

HERE = os.path.dirname(os.path.abspath(__file__))
META = {"generator": "test/reference/interp/generate_cca.py", "python": sys.version.split()[0], "numpy": np.__version__}


def centered(a):
    return a - a.mean(axis=0)


def inverse_sqrt(s):
    values, vectors = np.linalg.eigh(s)
    return vectors @ np.diag(values ** -0.5) @ vectors.T


def live_units(a):
    live = a[:, a.std(axis=0) > 1e-12]
    # Sxx^-1/2 needs full column rank once dead units are gone; the cases below are built to have it.
    assert np.linalg.matrix_rank(live) == live.shape[1], "collinear units: this formulation needs full rank"
    return live


def whitened(x, y):
    """Sxx^-1/2 Sxy Syy^-1/2 and Sxx^-1/2 (rows: examples; both centered, live units only)."""
    n = x.shape[0]
    sxx, syy, sxy = x.T @ x / (n - 1), y.T @ y / (n - 1), x.T @ y / (n - 1)
    wx = inverse_sqrt(sxx)
    return wx @ sxy @ inverse_sqrt(syy), wx


def canonical(x, y):
    x, y = live_units(centered(x)), live_units(centered(y))
    m, _ = whitened(x, y)
    return np.clip(np.linalg.svd(m, compute_uv=False), 0, 1)


def svd_reduce(a, kept):
    u, s, _ = np.linalg.svd(centered(a), full_matrices=False)
    k = int(np.searchsorted(np.cumsum(s ** 2) / np.sum(s ** 2), kept * (1 - 1e-12)) + 1)
    return u[:, :k] * s[:k], k


def svcca(x, y, kept):
    rx, kx = svd_reduce(x, kept)
    ry, ky = svd_reduce(y, kept)
    rho = canonical(rx, ry)
    return {"similarity": float(rho.mean()), "correlations": rho.tolist(), "dimensions": [kx, ky]}


def pwcca(x, y):
    x, y = live_units(centered(x)), live_units(centered(y))
    side = "x" if np.linalg.matrix_rank(x) <= np.linalg.matrix_rank(y) else "y"
    own, other = (x, y) if side == "x" else (y, x)
    m, w = whitened(own, other)
    u, rho, _ = np.linalg.svd(m, full_matrices=False)
    variates = own @ w @ u  # one canonical variate per column, over the examples
    q, _ = np.linalg.qr(variates)
    alpha = np.abs(q.T @ own).sum(axis=1)
    weights = alpha / alpha.sum()
    rho = np.clip(rho, 0, 1)
    return {"similarity": float(weights @ rho), "correlations": rho.tolist(), "weights": weights.tolist(), "side": side}


def summary(x, y):
    rho = canonical(x, y)
    return {
        "mean": {"similarity": float(rho.mean()), "correlations": rho.tolist()},
        "svcca_0.99": svcca(x, y, 0.99),
        "svcca_0.9": svcca(x, y, 0.9),
        "pwcca": pwcca(x, y),
    }


def synthetic():
    rng = np.random.default_rng(18)
    n = 200
    x = rng.normal(size=(n, 12)) @ np.diag(np.linspace(3, 0.2, 12))
    x[:, 5] = 0  # a dead unit: no variance, not a dimension
    y = np.tanh(x @ rng.normal(size=(12, 8)) / 3) + 0.3 * rng.normal(size=(n, 8))
    z = rng.normal(size=(n, 10))
    x, y, z = short(x), short(y), short(z)
    pairs = {"x_y": (x, y), "y_x": (y, x), "x_z": (x, z), "y_z": (y, z)}
    return {"n": n, "x": x.tolist(), "y": y.tolist(), "z": z.tolist(), "values": {k: summary(a, b) for k, (a, b) in pairs.items()}}


def digits_mlp(rows=400):
    dense1, dense2, _, sha = digits_mlp_activations(rows)
    return {"rows": rows, "weights_sha256": sha, "dense1_dense2": summary(dense1, dense2)}


if __name__ == "__main__":
    with open(os.path.join(HERE, "cca.json"), "w") as f:
        json.dump({"meta": META, "synthetic": synthetic(), "digits_mlp": digits_mlp()}, f, separators=(",", ":"))
        f.write("\n")
    print("wrote test/reference/interp/cca.json")
