"""Reference attributions for test/unit/interp/attribution.test.ts, computed with TensorFlow (Python,
GradientTape) on the SAME architectures and weights as the shipped tfjs models, in float64.

    python3 test/reference/interp/generate_attribution.py   ->  attribution.json

Inputs are digits picked by row of examples/digits/digits.csv.gz (not through the TS split), and are
written into the fixture. IG quadrature nodes come from numpy (np.polynomial.legendre.leggauss for
Gauss-Legendre), independent of the TS quadrature code. "Exact" IG uses 512 Gauss-Legendre nodes.
"""
import gzip
import json
import os

import numpy as np
import tensorflow as tf

from tfjs_keras import load_tfjs_layers_model, logits_model

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
ROWS = [0, 1, 2, 3, 100, 500]


def digits(rows):
    with gzip.open(os.path.join(ROOT, "examples", "digits", "digits.csv.gz"), "rt") as f:
        table = np.loadtxt(f, delimiter=",")
    return (table[rows, :64] / 16).reshape(-1, 8, 8, 1), table[rows, 64].astype(int)


def nodes(rule, steps):
    k = np.arange(steps)
    if rule == "gauss-legendre":
        t, w = np.polynomial.legendre.leggauss(steps)
        return (t + 1) / 2, w / 2
    if rule == "riemann-left":
        return k / steps, np.full(steps, 1 / steps)
    if rule == "riemann-right":
        return (k + 1) / steps, np.full(steps, 1 / steps)
    if rule == "riemann-middle":
        return (k + 0.5) / steps, np.full(steps, 1 / steps)
    if rule == "riemann-trapezoid":
        w = np.full(steps, 1 / (steps - 1))
        w[[0, -1]] /= 2
        return np.linspace(0, 1, steps), w
    raise ValueError(rule)


def gradients(f, x, targets):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        scores = tf.reduce_sum(f(x) * tf.one_hot(targets, 10, dtype=x.dtype))
    return tape.gradient(scores, x).numpy()


def integrated_gradients(f, x, baseline, targets, rule, steps):
    alphas, weights = nodes(rule, steps)
    total = np.zeros_like(x)
    for a, w in zip(alphas, weights):
        total += w * gradients(f, baseline + a * (x - baseline), targets)
    return (x - baseline) * total


def main():
    x, labels = digits(ROWS)
    out = {"rows": ROWS, "labels": labels.tolist(), "inputs": x.reshape(len(ROWS), -1).tolist(), "models": {}}
    for name in ["mlp", "cnn"]:
        model = load_tfjs_layers_model(os.path.join(ROOT, "examples", "digits", "models", name, "model.json"))
        f = logits_model(model)
        logits = f(x).numpy()
        targets = logits.argmax(-1)
        g = gradients(f, x, targets)
        entry = {
            "logits": logits.tolist(),
            "probabilities": model(x).numpy().tolist(),
            "targets": targets.tolist(),
            "gradient": g.reshape(len(ROWS), -1).tolist(),
            "gradientTimesInput": (g * x).reshape(len(ROWS), -1).tolist(),
            "ig": {},
        }
        for baseline_value in [0.0, 0.25]:
            baseline = np.full_like(x, baseline_value)
            f_base = f(baseline).numpy()[np.arange(len(ROWS)), targets]
            exact = integrated_gradients(f, x, baseline, targets, "gauss-legendre", 512)
            cases = {"exact": exact}
            for rule in ["gauss-legendre", "riemann-left", "riemann-right", "riemann-middle", "riemann-trapezoid"]:
                cases[f"{rule}/16"] = integrated_gradients(f, x, baseline, targets, rule, 16)
            entry["ig"][str(baseline_value)] = {
                "scoreDifference": (logits[np.arange(len(ROWS)), targets] - f_base).tolist(),
                **{k: v.reshape(len(ROWS), -1).tolist() for k, v in cases.items()},
            }
        out["models"][name] = entry
    with open(os.path.join(HERE, "attribution.json"), "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
