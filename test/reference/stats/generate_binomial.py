#!/usr/bin/env python3
"""Reference values for src/core/stats/binomial.ts: scipy.stats.binomtest p-values for each
alternative and proportion_ci(method="exact") (Clopper-Pearson) intervals, on a grid of (k, n, p)
that covers both tails, k = 0 and k = n, and chance levels of 1/2, 1/4 and 1/10 (forward-prediction
studies with 2, 4 or 10 choices).
Run from the repository root (Python from `npm run setup:python`):
    .cache/python/bin/python test/reference/stats/generate_binomial.py  ->  test/reference/stats/binomial.json
"""
import json
import os
import sys

import numpy as np
import scipy
from scipy.stats import binomtest

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = [(0, 10, 0.5), (3, 10, 0.5), (5, 10, 0.5), (9, 10, 0.5), (10, 10, 0.5), (7, 20, 0.25), (2, 20, 0.25), (31, 120, 0.1),
         (5, 120, 0.1), (12, 120, 0.1), (60, 100, 0.5), (400, 1000, 0.37), (1, 3, 0.9), (0, 1, 0.5)]

if __name__ == "__main__":
    cases = []
    for k, n, p in CASES:
        case = {"k": k, "n": n, "p": p}
        for alternative in ("two-sided", "greater", "less"):
            result = binomtest(k, n, p, alternative=alternative)
            ci = result.proportion_ci(confidence_level=0.9, method="exact")
            case[alternative] = {"p": float(result.pvalue), "ci90": [float(ci.low), float(ci.high)]}
        cases.append(case)
    with open(os.path.join(HERE, "binomial.json"), "w") as f:
        json.dump({"meta": {"generator": "test/reference/stats/generate_binomial.py", "python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__}, "cases": cases}, f, indent=1)
        f.write("\n")
    print("wrote test/reference/stats/binomial.json")
