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


# ---------------------------------------------------------------------------------------------
# special functions


def gen_special():
    xs = [0.1, 0.5, 1.5, 2.5, 3.7, 10.0, 50.5, 171.3, 1234.5, 1e5]
    gamma_pts = [(0.5, 0.01), (0.5, 0.7), (0.5, 3.0), (0.5, 40.0), (2.0, 1.0), (7.5, 3.0), (7.5, 12.0), (30.0, 25.0)]
    beta_pts = [(0.3, 2.0, 3.0), (0.9, 2.0, 3.0), (0.5, 0.5, 0.5), (0.01, 5.0, 0.5), (0.999, 5.0, 0.5), (0.2, 50.0, 60.0), (0.7, 200.0, 0.5), (0.4, 0.7, 15.0)]
    zs = [-37.0, -20.0, -8.5, -3.0, -1.0, -1e-8, 0.0, 0.3, 1.96, 5.0, 8.0]
    ps = [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.02, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.975, 0.999999, 1 - 1e-12]
    t_pts = [(t, df) for df in [1, 2, 3.5, 7.3, 30, 1000, 123456] for t in [-50.0, -4.0, -2.0, -0.5, 0.0, 0.1, 1.0, 2.5, 12.0]]
    tq_pts = [(p, df) for df in [1, 2, 3.5, 7.3, 30, 1000] for p in [1e-12, 1e-6, 0.001, 0.025, 0.1, 0.4, 0.5, 0.6, 0.975, 0.999]]
    write(
        "special",
        {
            "logGamma": [[x, float(sp.gammaln(x))] for x in xs],
            "gammaQ": [[a, x, float(sp.gammaincc(a, x))] for a, x in gamma_pts],
            "gammaP": [[a, x, float(sp.gammainc(a, x))] for a, x in gamma_pts],
            "incompleteBeta": [[x, a, b, float(sp.betainc(a, b, x))] for x, a, b in beta_pts],
            "normalCdf": [[z, float(st.norm.cdf(z))] for z in zs],
            "normalQuantile": [[p, float(st.norm.ppf(p))] for p in ps],
            "studentTCdf": [[t, df, float(st.t.cdf(t, df))] for t, df in t_pts],
            "studentTSf": [[t, df, float(st.t.sf(t, df))] for t, df in t_pts],
            "studentTQuantile": [[p, df, float(st.t.ppf(p, df))] for p, df in tq_pts],
        },
    )


SECTIONS = {"rng": gen_rng, "special": gen_special}

if __name__ == "__main__":
    names = sys.argv[1:] or list(SECTIONS)
    for name in names:
        SECTIONS[name]()
