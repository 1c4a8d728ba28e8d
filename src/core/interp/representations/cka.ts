// Centered kernel alignment (Kornblith et al. 2019): how similar two representations of the same n
// examples are, in [0, 1], invariant to orthogonal transforms and isotropic scaling of either one
// but not to arbitrary invertible linear maps.
//
//   CKA(K, L) = HSIC(K, L) / sqrt(HSIC(K, K) · HSIC(L, L))
//
// K, L are n × n Gram matrices (linear: XXᵀ; RBF: exp(−‖xᵢ − xⱼ‖² / 2σ²)).
// - `cka` (default): the biased HSIC, tr(KHLH)/(n−1)² with H the centering matrix (Kornblith et al.).
// - `debiased: true`: the UNBIASED HSIC estimator of Song et al. (2012, "Feature selection via
//   dependence maximization", eq. 5), as used for debiased CKA by Nguyen, Raghu & Kornblith (2021).
//   It removes the upward bias of CKA between unrelated representations at small n (n ≥ 4 needed).
//
// Gram matrices are n × n, so memory grows with n² (8 bytes each; 5,000 examples ≈ 200 MB per
// matrix): `maxExamples` guards it. Products run on the tfjs backend in float32 after centering the
// features in float64; the HSIC sums are float64 (agreement with numpy ≈ 1e-6).
import * as tf from "@tensorflow/tfjs";
import { InterpError } from "../activations";
import { quantiles } from "../quantile";
import { type Matrix, type Representation, toMatrix } from "./matrix";

export type CkaKernel = "linear" | "rbf";

export interface CkaOptions {
  /** Default `linear`. */
  kernel?: CkaKernel;
  /** Use the unbiased HSIC (Song et al. 2012). Default false. */
  debiased?: boolean;
  /** RBF bandwidth σ, the same for both representations. Default: the median heuristic below. */
  sigma?: number;
  /**
   * RBF median heuristic, per representation: σ = medianFactor · sqrt(median of the squared
   * distances), the median taken over all n² entries of the distance matrix, zeros of the diagonal
   * included (Kornblith et al.'s code). Default 1.
   */
  medianFactor?: number;
  /** Refuse more examples than this (n² memory). Default 5000. */
  maxExamples?: number;
}

/** CKA of two representations of the same examples (rows). */
export function cka(x: Representation, y: Representation, options: CkaOptions = {}): number {
  const a = toMatrix(x, "x"), b = toMatrix(y, "y");
  if (a.rows !== b.rows) throw new InterpError("shape-mismatch", `x has ${a.rows} examples and y has ${b.rows}; CKA compares representations of the same examples`);
  const max = options.maxExamples ?? 5000;
  if (a.rows > max) throw new InterpError("too-large", `${a.rows} examples need two ${a.rows}×${a.rows} Gram matrices; subsample to at most ${max} (or raise maxExamples)`);
  const minimum = options.debiased ? 4 : 2;
  if (a.rows < minimum) throw new InterpError("invalid-input", `${options.debiased ? "debiased " : ""}CKA needs at least ${minimum} examples, got ${a.rows}`);
  const K = gram(a, options), L = gram(b, options);
  const n = a.rows;
  const h = options.debiased ? unbiasedHsic : biasedHsic;
  const kl = h(K, L, n), kk = h(K, K, n), ll = h(L, L, n);
  if (!(kk > 0 && ll > 0)) {
    throw new InterpError("invalid-input", `a representation has no (estimated) variance across the examples (HSIC(x,x) = ${kk}, HSIC(y,y) = ${ll}); CKA is undefined`);
  }
  return kl / Math.sqrt(kk * ll);
}

/** Linear CKA (Kornblith et al. 2019). */
export function linearCka(x: Representation, y: Representation): number {
  return cka(x, y, { kernel: "linear" });
}

/** RBF-kernel CKA; σ from `sigma` or the median heuristic (`medianFactor`, default 1). */
export function rbfCka(x: Representation, y: Representation, options: Pick<CkaOptions, "sigma" | "medianFactor" | "maxExamples"> = {}): number {
  return cka(x, y, { ...options, kernel: "rbf" });
}

/** Debiased CKA: the unbiased HSIC estimator of Song et al. (2012); linear kernel unless `kernel: "rbf"`. */
export function debiasedCka(x: Representation, y: Representation, options: Omit<CkaOptions, "debiased"> = {}): number {
  return cka(x, y, { ...options, debiased: true });
}

/** The n × n Gram matrix of the rows of `m` (float64, row-major). */
export function gram(m: Matrix, options: Pick<CkaOptions, "kernel" | "sigma" | "medianFactor"> = {}): Float64Array {
  const { rows: n, cols: p } = m;
  // Centering the features first changes neither kernel (distances, and HKH, are unchanged) but
  // keeps the float32 products away from cancellation.
  const centered = new Float32Array(n * p);
  for (let j = 0; j < p; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += m.data[i * p + j];
    mean /= n;
    for (let i = 0; i < n; i++) centered[i * p + j] = m.data[i * p + j] - mean;
  }
  const dot = tf.tidy(() => {
    const x = tf.tensor2d(centered, [n, p]);
    return tf.matMul(x, x, false, true).dataSync();
  });
  const K = Float64Array.from(dot);
  if ((options.kernel ?? "linear") === "linear") return K;
  const sq = Float64Array.from({ length: n }, (_, i) => K[i * n + i]);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) K[i * n + j] = i === j ? 0 : Math.max(0, sq[i] + sq[j] - 2 * K[i * n + j]);
  let sigma2: number;
  if (options.sigma !== undefined) {
    if (!(options.sigma > 0)) throw new InterpError("invalid-input", `sigma must be positive, got ${options.sigma}`);
    sigma2 = options.sigma ** 2;
  } else {
    const factor = options.medianFactor ?? 1;
    if (!(factor > 0)) throw new InterpError("invalid-input", `medianFactor must be positive, got ${factor}`);
    sigma2 = factor ** 2 * quantiles(K, [0.5])[0];
    if (!(sigma2 > 0)) throw new InterpError("invalid-input", "the median squared distance is 0 (most examples identical); give sigma explicitly");
  }
  for (let k = 0; k < K.length; k++) K[k] = Math.exp(-K[k] / (2 * sigma2));
  return K;
}

/** tr(KHLH) / (n−1)²: ⟨HKH, HLH⟩ with the double-centered matrices. */
function biasedHsic(K: Float64Array, L: Float64Array, n: number): number {
  const [rk, gk] = rowMeans(K, n), [rl, gl] = rowMeans(L, n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) s += (K[i * n + j] - rk[i] - rk[j] + gk) * (L[i * n + j] - rl[i] - rl[j] + gl);
  }
  return s / (n - 1) ** 2;
}

/**
 * Song et al. (2012): with K̃, L̃ the Gram matrices with zeroed diagonals,
 * [tr(K̃L̃) + 1ᵀK̃1 · 1ᵀL̃1 / ((n−1)(n−2)) − 2/(n−2) · 1ᵀK̃L̃1] / (n(n−3)).
 */
function unbiasedHsic(K: Float64Array, L: Float64Array, n: number): number {
  let trace = 0, sumK = 0, sumL = 0, rowProducts = 0;
  for (let i = 0; i < n; i++) {
    let rowK = 0, rowL = 0;
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const k = K[i * n + j], l = L[i * n + j];
      trace += k * l;
      rowK += k;
      rowL += l;
    }
    sumK += rowK;
    sumL += rowL;
    rowProducts += rowK * rowL;
  }
  return (trace + (sumK * sumL) / ((n - 1) * (n - 2)) - (2 / (n - 2)) * rowProducts) / (n * (n - 3));
}

function rowMeans(K: Float64Array, n: number): [Float64Array, number] {
  const means = new Float64Array(n);
  let grand = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += K[i * n + j];
    means[i] = s / n;
    grand += s;
  }
  return [means, grand / (n * n)];
}
