#!/usr/bin/env python3
"""Reference values for src/core/stats and src/core/verdict, computed with scipy and statsmodels.

Run from the repository root:  python3 test/reference/stats/generate.py
It rewrites test/reference/stats/*.json; the TypeScript tests read those files and never compare a
function with its own output. Inputs are drawn from numpy with fixed seeds, so a re-run reproduces
the same files (up to the library versions recorded in each file's "meta").
"""
import json
import math
import os
import sys

import numpy as np
import scipy
import scipy.special as sp
import scipy.stats as st
import statsmodels
from statsmodels.stats.multitest import multipletests

HERE = os.path.dirname(os.path.abspath(__file__))
META = {
    "generator": "test/reference/stats/generate.py",
    "python": sys.version.split()[0],
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "statsmodels": statsmodels.__version__,
}


def write(name, payload):
    path = os.path.join(HERE, f"{name}.json")
    with open(path, "w") as f:
        json.dump({"meta": META, **payload}, f, indent=1, allow_nan=False)
        f.write("\n")
    print("wrote", path)


def floats(a):
    return [float(x) for x in np.asarray(a, dtype=float).ravel()]


# ---------------------------------------------------------------------------------------------
# rng: an independent Python implementation of splitmix32-seeded xoshiro128** (written from the
# published C reference), and the chi-square critical values the uniformity tests use.

M32 = 0xFFFFFFFF


def splitmix32(seed):
    state = seed & M32

    def nxt():
        nonlocal state
        state = (state + 0x9E3779B9) & M32
        z = state
        z = ((z ^ (z >> 16)) * 0x85EBCA6B) & M32
        z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M32
        return (z ^ (z >> 16)) & M32

    return nxt


def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M32


def xoshiro128ss(lo, hi, count):
    mix = splitmix32(lo ^ ((hi * 0x9E3779B9) & M32))
    s = [mix(), mix() ^ hi, mix(), mix()]
    if s == [0, 0, 0, 0]:
        s[0] = 1
    out = []
    for _ in range(count):
        result = (rotl((s[1] * 5) & M32, 7) * 9) & M32
        t = (s[1] << 9) & M32
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 11)
        out.append(result)
    return out


def seed_words(seed):
    import struct

    raw = struct.pack(">d", float(seed) if seed != 0 else 0.0)
    hi, lo = struct.unpack(">II", raw)
    return lo, hi


def gen_rng():
    streams = []
    for seed in [0, 1, 42, 2**32 + 7, -3, 0.5]:
        lo, hi = seed_words(seed)
        streams.append({"seed": seed, "uint32": xoshiro128ss(lo, hi, 16)})
    write(
        "rng",
        {
            "streams": streams,
            # chi2.ppf(0.999, df): a uniformity test with these bins fails by chance 1 time in 1000.
            "chi2_crit_999": {str(df): float(st.chi2.ppf(0.999, df)) for df in [9, 99, 119]},
        },
    )


SECTIONS = {"rng": gen_rng}

if __name__ == "__main__":
    names = sys.argv[1:] or list(SECTIONS)
    for name in names:
        SECTIONS[name]()
