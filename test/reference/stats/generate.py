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


def jsonable(value):
    """JSON has no infinities: write them as the strings "Infinity" / "-Infinity" (the TS loader revives them)."""
    if isinstance(value, float) and math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def write(name, payload):
    path = os.path.join(HERE, f"{name}.json")
    with open(path, "w") as f:
        json.dump(jsonable({"meta": META, **payload}), f, indent=1, allow_nan=False)
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


# ---------------------------------------------------------------------------------------------
# ranks, correlations, t-tests, effect sizes, FDR


def gen_classic():
    rng = np.random.default_rng(20261123)
    rank_cases = [
        [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0],
        [2.0, 2.0, 2.0],
        [0.5],
        floats(rng.integers(0, 5, 40)),
    ]
    corr_cases = []
    for n, rho, ties in [(5, 0.9, False), (12, 0.3, True), (40, -0.5, False), (200, 0.05, True), (30, 0.999, False)]:
        x = rng.normal(size=n)
        y = rho * x + math.sqrt(1 - rho**2) * rng.normal(size=n)
        if ties:
            x, y = np.round(x * 2) / 2, np.round(y * 2) / 2
        case = {"x": floats(x), "y": floats(y)}
        for alt in ["two-sided", "greater", "less"]:
            pr = st.pearsonr(x, y, alternative=alt)
            ci = pr.confidence_interval(0.9)
            sr = st.spearmanr(x, y, alternative=alt)
            case[alt] = {
                "pearson": [float(pr.statistic), float(pr.pvalue)],
                "pearsonCi90": [float(ci.low), float(ci.high)],
                "spearman": [float(sr.statistic), float(sr.pvalue)],
            }
        corr_cases.append(case)

    t_cases = []
    for n1, n2, shift, scale in [(5, 5, 0.8, 1.0), (12, 30, 0.3, 3.0), (40, 40, -0.2, 1.0), (3, 8, 2.0, 0.5), (100, 100, 0.0, 1.0)]:
        x = rng.normal(loc=shift, size=n1)
        y = rng.normal(scale=scale, size=n2)
        case = {"x": floats(x), "y": floats(y)}
        for alt in ["two-sided", "greater", "less"]:
            res = {}
            for name, r in [
                ("student-t", st.ttest_ind(x, y, equal_var=True, alternative=alt)),
                ("welch-t", st.ttest_ind(x, y, equal_var=False, alternative=alt)),
            ] + ([("paired-t", st.ttest_rel(x, y, alternative=alt))] if n1 == n2 else []):
                ci = r.confidence_interval(0.95)
                res[name] = {"statistic": float(r.statistic), "df": float(r.df), "p": float(r.pvalue), "ci": [float(ci.low), float(ci.high)]}
            case[alt] = res
        # Cohen's d from its textbook definition (numpy), not from our code.
        sp2 = ((n1 - 1) * x.var(ddof=1) + (n2 - 1) * y.var(ddof=1)) / (n1 + n2 - 2)
        case["cohensD"] = float((x.mean() - y.mean()) / math.sqrt(sp2))
        if n1 == n2:
            d = x - y
            case["cohensDz"] = float(d.mean() / d.std(ddof=1))
        t_cases.append(case)
    # statsmodels' independent implementation of the same tests as a second reference.
    from statsmodels.stats.weightstats import ttest_ind as sm_ttest_ind

    sm = []
    for case in t_cases:
        x, y = np.array(case["x"]), np.array(case["y"])
        for usevar, name in [("pooled", "student-t"), ("unequal", "welch-t")]:
            tstat, p, df = sm_ttest_ind(x, y, usevar=usevar, alternative="larger")
            sm.append({"x": case["x"], "y": case["y"], "test": name, "statistic": float(tstat), "p": float(p), "df": float(df)})

    fdr_cases = []
    for p in [
        [0.01, 0.04, 0.03, 0.005, 0.2, 0.9, 0.04],
        floats(rng.uniform(size=25) ** 3),
        [0.5],
        [0.0, 1.0, 0.03, 0.03, 0.03],
    ]:
        fdr_cases.append(
            {
                "p": floats(p),
                "bh": floats(multipletests(p, method="fdr_bh")[1]),
                "by": floats(multipletests(p, method="fdr_by")[1]),
                "holm": floats(multipletests(p, method="holm")[1]),
                "bonferroni": floats(multipletests(p, method="bonferroni")[1]),
            }
        )
    write(
        "classic",
        {
            "rank": [{"x": floats(x), "ranks": floats(st.rankdata(x))} for x in rank_cases],
            "correlation": corr_cases,
            "ttest": t_cases,
            "statsmodelsTtest": sm,
            "fdr": fdr_cases,
        },
    )


# ---------------------------------------------------------------------------------------------
# permutation tests (scipy.stats.permutation_test). Our default two-sided p counts |T*| >= |T|:
# its reference "two-sided" is scipy run on |T| with alternative="greater" (the same definition,
# computed by scipy). Our `twoSided: "doubled"` is scipy's own "two-sided" (twice the smaller
# one-sided p): "two-sided-doubled".

QUANTILES = [0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975]


def perm_reference(kind, x, y, n_resamples, seed):
    if kind == "permutation":
        data, ptype = (x, y), "independent"
        stat = lambda a, b, axis: np.mean(a, axis=axis) - np.mean(b, axis=axis)
    elif kind == "paired-permutation":
        data, ptype = (x, y), "samples"
        stat = lambda a, b, axis: np.mean(a - b, axis=axis)
    else:
        zy = np.asarray(y)
        data, ptype = (x,), "pairings"

        def stat(a, axis):
            a = a - a.mean(axis=axis, keepdims=True)
            b = zy - zy.mean()
            return np.sum(a * b, axis=axis) / np.sqrt(np.sum(a * a, axis=axis) * np.sum(b * b))

    out = {}
    for alt in ["greater", "less"]:
        r = st.permutation_test(data, stat, permutation_type=ptype, alternative=alt, n_resamples=n_resamples, rng=np.random.default_rng(seed), vectorized=True)
        out[alt] = float(r.pvalue)
        out["statistic"] = float(r.statistic)
        null = r.null_distribution
    absstat = lambda *a, axis: np.abs(stat(*a, axis=axis))
    r = st.permutation_test(data, absstat, permutation_type=ptype, alternative="greater", n_resamples=n_resamples, rng=np.random.default_rng(seed), vectorized=True)
    out["two-sided"] = float(r.pvalue)
    r = st.permutation_test(data, stat, permutation_type=ptype, alternative="two-sided", n_resamples=n_resamples, rng=np.random.default_rng(seed), vectorized=True)
    out["two-sided-doubled"] = float(r.pvalue)
    out["nullQuantiles"] = floats(np.quantile(null, QUANTILES))
    out["nNull"] = int(len(null))
    return out


def gen_permutation():
    rng = np.random.default_rng(7)
    cases = []
    # exact: arrangements <= 10,000 (2^10 sign flips, C(11,5) splits, 6! pairings)
    specs = [
        ("paired-permutation", 10, 10, 0.5, "exact"),
        ("permutation", 5, 6, 1.0, "exact"),
        ("correlation-permutation", 6, 6, 0.6, "exact"),
        # Monte Carlo in our code (2^14 > 10,000) but exact in scipy: the ideal reference
        ("paired-permutation", 14, 14, 0.4, "exact-reference"),
        ("permutation", 9, 9, 0.7, "exact-reference"),
        # large: scipy Monte Carlo with many resamples
        ("paired-permutation", 60, 60, 0.3, "monte-carlo"),
        ("permutation", 30, 45, 0.5, "monte-carlo"),
        ("correlation-permutation", 40, 40, 0.3, "monte-carlo"),
    ]
    for kind, n1, n2, effect, mode in specs:
        x = rng.normal(size=n1)
        if kind == "correlation-permutation":
            y = effect * x + rng.normal(size=n2)
        elif kind == "paired-permutation":
            y = x - effect + rng.normal(size=n2)
        else:
            x = x + effect
            y = rng.normal(size=n2)
        x = np.round(x, 2)  # some ties, like real metrics
        y = np.round(y, 2)
        n_resamples = 10_000 if mode == "exact" else (1_000_000 if mode == "exact-reference" else 200_000)
        cases.append({"kind": kind, "mode": mode, "x": floats(x), "y": floats(y), **perm_reference(kind, x, y, n_resamples, 1)})
    # Unequal group sizes of skewed metrics: a skewed exact null, where the two two-sided conventions
    # differ in every case (and, in one, fall on opposite sides of alpha = 0.05).
    skewed = np.random.default_rng(12)
    for i in range(21):
        n1, n2 = [(3, 8), (4, 9), (5, 7)][i % 3]
        x = np.round(skewed.exponential(size=n1) + 0.8, 1)
        y = np.round(skewed.exponential(size=n2), 1)
        cases.append({"kind": "permutation", "mode": "exact-skewed", "x": floats(x), "y": floats(y), **perm_reference("permutation", x, y, 10_000, 1)})
    write("permutation", {"cases": cases})


# ---------------------------------------------------------------------------------------------
# bootstrap (scipy.stats.bootstrap). Monte Carlo: "ci" is scipy with 400,000 resamples (close to
# the infinite-resample interval) and "ciSd" the spread of each endpoint over 12 scipy runs with
# the default 9,999 resamples, so the TS test can allow for the Monte Carlo error it expects.

BOOT_STATS = {
    "mean": lambda x, axis=-1: np.mean(x, axis=axis),
    "sd": lambda x, axis=-1: np.std(x, ddof=1, axis=axis),
    "mean-difference": lambda x, y, axis=-1: np.mean(x, axis=axis) - np.mean(y, axis=axis),
    "paired-mean-difference": lambda x, y, axis=-1: np.mean(x - y, axis=axis),
}


def gen_bootstrap():
    rng = np.random.default_rng(11)
    expo = rng.exponential(size=25)
    normal = rng.normal(size=18)
    x2, y2 = rng.normal(0.5, 1.0, size=20), rng.gamma(2.0, size=30)
    px = rng.normal(size=30)
    py = px - 0.3 + rng.exponential(size=30) - 1
    specs = [
        ("mean", [expo], False, "percentile", "two-sided", 0.95),
        ("mean", [expo], False, "bca", "two-sided", 0.95),
        ("mean", [expo], False, "basic", "two-sided", 0.9),
        ("sd", [normal], False, "bca", "two-sided", 0.95),
        ("mean-difference", [x2, y2], False, "bca", "two-sided", 0.95),
        ("mean-difference", [x2, y2], False, "percentile", "greater", 0.9),
        ("paired-mean-difference", [px, py], True, "bca", "two-sided", 0.95),
        ("paired-mean-difference", [px, py], True, "bca", "less", 0.95),
    ]
    cases = []
    for stat, data, paired, method, alt, level in specs:
        kw = dict(paired=paired, method=method, alternative=alt, confidence_level=level, vectorized=True)
        big = st.bootstrap(data, BOOT_STATS[stat], n_resamples=400_000, rng=np.random.default_rng(0), **kw)
        runs = np.array(
            [list(st.bootstrap(data, BOOT_STATS[stat], rng=np.random.default_rng(100 + i), **kw).confidence_interval) for i in range(12)]
        )
        finite_sd = [float(np.std(runs[:, j], ddof=1)) if np.all(np.isfinite(runs[:, j])) else 0.0 for j in range(2)]
        cases.append(
            {
                "statistic": stat,
                "samples": [floats(d) for d in data],
                "paired": paired,
                "method": method,
                "alternative": alt,
                "confidenceLevel": level,
                "ci": [float(big.confidence_interval.low), float(big.confidence_interval.high)],
                "ciSd": finite_sd,
                "standardError": float(big.standard_error),
            }
        )
    write("bootstrap", {"cases": cases})


SECTIONS = {"rng": gen_rng, "special": gen_special, "classic": gen_classic, "permutation": gen_permutation, "bootstrap": gen_bootstrap}

if __name__ == "__main__":
    names = sys.argv[1:] or list(SECTIONS)
    for name in names:
        SECTIONS[name]()
