// Canonical correlation analysis between two representations of the same n examples, and the two
// summaries built on it: SVCCA (Raghu et al. 2017) and PWCCA (Morcos et al. 2018). Same inputs as
// `linearCka`.
//
// CCA finds pairs of directions, one in each representation, whose projections over the examples
// are maximally correlated; the canonical correlations ρ₁ ≥ ρ₂ ≥ … are the cosines of the principal
// angles between the two (centered) column spaces, i.e. the singular values of Uxᵀ·Uy with Ux, Uy
// orthonormal bases of those spaces. Unlike CKA, CCA is invariant to every invertible linear map of
// either representation, so it needs more examples than dimensions: with kx + ky > n − 1 some
// correlations are 1 whatever the data, and the call refuses rather than report them.
// - mean CCA: the mean of all min(kx, ky) correlations.
// - SVCCA: each representation first reduced to the fewest leading singular directions that explain
//   `varianceKept` (default 0.99) of its variance, then mean CCA of the reduced pair.
// - PWCCA: the correlations of full CCA weighted by how much of the representation each canonical
//   variate accounts for: αᵢ = Σⱼ |⟨hᵢ, xⱼ⟩| over the (centered) units xⱼ, hᵢ the unit-norm canonical
//   variates of the side with fewer dimensions (the side whose every direction has a correlation,
//   as in the authors' code; x on a tie); similarity = Σ αᵢρᵢ / Σ αᵢ.
//
// Bases come from the eigendecomposition of the smaller Gram matrix (XᵀX or XXᵀ, float64 on the
// host): a representation's rank is the number of eigenvalues above 1e-10 of the largest, so dead
// or duplicated units do not count as dimensions. Cost: O(n·p²) for the Gram matrix and O(min(n,p)³)
// for its eigendecomposition, guarded by `maxDimensions`.
import { EigenvalueDecomposition, Matrix as Dense } from "ml-matrix";
import { mean } from "../../stats/sample";
import { InterpError } from "../activations";
import { type Matrix, type Representation, toMatrix } from "./matrix";

export type CcaMethod = "mean" | "svcca" | "pwcca";

export interface CcaOptions {
  /** Default `mean`. */
  method?: CcaMethod;
  /** SVCCA only: the fraction of each representation's variance its kept directions explain. Default 0.99. */
  varianceKept?: number;
  /** Refuse a representation whose smaller side (examples or features) exceeds this (its Gram matrix is decomposed in O(size³)). Default 2048. */
  maxDimensions?: number;
}

export interface CcaResult {
  method: CcaMethod;
  /** The summary: mean CCA, SVCCA or PWCCA, in [0, 1]. */
  similarity: number;
  /** The canonical correlations, largest first (min of the two dimensions). */
  correlations: number[];
  /** The dimensions CCA compared: each representation's rank (SVCCA: the kept singular directions). */
  dimensions: { x: number; y: number };
  examples: number;
  /** PWCCA: one weight per correlation, summing to 1, and the side whose canonical variates they weigh. */
  weights?: number[];
  weightedSide?: "x" | "y";
}

/** Canonical correlations of two representations of the same examples, summarised by `method`. */
export function cca(x: Representation, y: Representation, options: CcaOptions = {}): CcaResult {
  const method = options.method ?? "mean";
  const a = centered(toMatrix(x, "x")), b = centered(toMatrix(y, "y"));
  const n = a.rows;
  if (b.rows !== n) throw new InterpError("shape-mismatch", `x has ${n} examples and y has ${b.rows}; CCA compares representations of the same examples`);
  if (n < 3) throw new InterpError("invalid-input", `CCA needs at least 3 examples, got ${n}`);
  const kept = options.varianceKept ?? 0.99;
  if (method === "svcca" && !(kept > 0 && kept <= 1)) throw new InterpError("invalid-input", `varianceKept must be in (0, 1], got ${kept}`);
  const max = options.maxDimensions ?? 2048;
  let bx = orthonormalBasis(a, "x", max), by = orthonormalBasis(b, "y", max);
  if (method === "svcca") {
    bx = leading(bx, kept);
    by = leading(by, kept);
  }
  const kx = bx.k, ky = by.k;
  if (kx + ky > n - 1) {
    throw new InterpError(
      "invalid-input",
      `CCA of ${kx} and ${ky} dimensions on ${n} examples: at least ${kx + ky - n + 1} of the canonical correlations are 1 whatever the data. ` +
        `Use more examples (over ${kx + ky}), fewer features (e.g. reduce: "spatial-mean"), or svcca with a lower varianceKept.`,
    );
  }
  // The weighted side's directions are the eigenvectors of MMᵀ (its k × k), M = Uᵀ·U′ over the other side.
  const side: "x" | "y" = kx <= ky ? "x" : "y";
  const [own, other] = side === "x" ? [bx, by] : [by, bx];
  const m = crossProduct(own, other, n);
  const { values, vectors } = symmetricEigen(m, own.k);
  const correlations = values.map((v) => Math.sqrt(Math.min(1, Math.max(0, v))));
  const result: CcaResult = { method, similarity: mean(correlations), correlations, dimensions: { x: kx, y: ky }, examples: n };
  if (method !== "pwcca") return result;
  const weights = projectionWeights(side === "x" ? a : b, own, vectors, n);
  return { ...result, similarity: correlations.reduce((s, r, i) => s + r * weights[i], 0), weights, weightedSide: side };
}

/** Mean canonical correlation of two representations (all min(rank x, rank y) of them). */
export function meanCca(x: Representation, y: Representation, options: Omit<CcaOptions, "method"> = {}): number {
  return cca(x, y, { ...options, method: "mean" }).similarity;
}

/** SVCCA (Raghu et al. 2017): mean CCA after keeping the singular directions that explain `varianceKept` (0.99) of each one's variance. */
export function svcca(x: Representation, y: Representation, options: Omit<CcaOptions, "method"> = {}): number {
  return cca(x, y, { ...options, method: "svcca" }).similarity;
}

/** PWCCA (Morcos et al. 2018): canonical correlations weighted by how much of the representation each canonical variate accounts for. */
export function pwcca(x: Representation, y: Representation, options: Omit<CcaOptions, "method"> = {}): number {
  return cca(x, y, { ...options, method: "pwcca" }).similarity;
}

/** k orthonormal columns spanning a representation's centered column space (n × k, row-major), with the variance along each, largest first. */
interface Basis {
  u: Float64Array;
  k: number;
  variance: number[];
}

/** Eigenvalues below this fraction of the largest are numerical zeros (the float64 Gram's round-off is ~1e-16 of it). */
const RANK_TOLERANCE = 1e-10;

function orthonormalBasis(m: Matrix, what: string, maxDimensions: number): Basis {
  const { rows: n, cols: p } = m;
  const size = Math.min(n, p);
  if (size > maxDimensions) {
    throw new InterpError("too-large", `${what}: ${n} examples × ${p} features needs a ${size}×${size} eigendecomposition; reduce the features (e.g. reduce: "spatial-mean") or examples to at most ${maxDimensions}, or raise maxDimensions`);
  }
  // p ≤ n: XᵀX = VΛVᵀ and U = XVΛ^(−1/2). p > n: XXᵀ = UΛUᵀ gives U directly.
  const byFeatures = p <= n;
  const gram = byFeatures ? crossGram(m) : rowGram(m);
  const { values, vectors } = symmetricEigen(gram, size);
  const top = values[0] ?? 0;
  if (!(top > 0)) throw new InterpError("invalid-input", `${what} has no variance across the examples; CCA is undefined`);
  const k = values.findIndex((v) => !(v > RANK_TOLERANCE * top));
  const rank = k < 0 ? values.length : k;
  const u = new Float64Array(n * rank);
  if (byFeatures) {
    for (let c = 0; c < rank; c++) {
      const scale = 1 / Math.sqrt(values[c]);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < p; j++) s += m.data[i * p + j] * vectors[j * size + c];
        u[i * rank + c] = s * scale;
      }
    }
  } else {
    for (let i = 0; i < n; i++) for (let c = 0; c < rank; c++) u[i * rank + c] = vectors[i * size + c];
  }
  return { u, k: rank, variance: values.slice(0, rank) };
}

/** The fewest leading directions of `basis` whose variance reaches `fraction` of its total. */
function leading(basis: Basis, fraction: number): Basis {
  const total = basis.variance.reduce((s, v) => s + v, 0);
  let k = 0;
  // A relative slack keeps fraction = 1 from dropping a direction to round-off in the running sum.
  for (let sum = 0; k < basis.k && sum < fraction * total * (1 - 1e-12); k++) sum += basis.variance[k];
  if (k === basis.k) return basis;
  const n = basis.u.length / basis.k;
  const u = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) u[i * k + c] = basis.u[i * basis.k + c];
  return { u, k, variance: basis.variance.slice(0, k) };
}

/** MMᵀ with M = Uᵀ·U′ (k × k′): its eigenvalues are the squared canonical correlations, its eigenvectors the canonical directions in U's basis. */
function crossProduct(own: Basis, other: Basis, n: number): Float64Array {
  const k = own.k, l = other.k;
  const m = new Float64Array(k * l);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < k; a++) {
      const ua = own.u[i * k + a];
      if (ua === 0) continue;
      for (let b = 0; b < l; b++) m[a * l + b] += ua * other.u[i * l + b];
    }
  }
  const mmt = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let c = a; c < k; c++) {
      let s = 0;
      for (let b = 0; b < l; b++) s += m[a * l + b] * m[c * l + b];
      mmt[a * k + c] = mmt[c * k + a] = s;
    }
  }
  return mmt;
}

/** αᵢ = Σⱼ |⟨hᵢ, xⱼ⟩| with hᵢ = U·aᵢ the canonical variates and xⱼ the centered units; normalised to sum to 1. */
function projectionWeights(m: Matrix, basis: Basis, directions: Float64Array, n: number): number[] {
  const { cols: p } = m;
  const k = basis.k;
  const weights = new Array<number>(k).fill(0);
  const h = new Float64Array(n);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a < k; a++) s += basis.u[i * k + a] * directions[a * k + c];
      h[i] = s;
    }
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += h[i] * m.data[i * p + j];
      weights[c] += Math.abs(s);
    }
  }
  const total = weights.reduce((s, w) => s + w, 0);
  return weights.map((w) => w / total);
}

/** Eigenvalues (largest first) and eigenvectors (columns of a size × size row-major array) of a symmetric matrix. */
function symmetricEigen(matrix: Float64Array, size: number): { values: number[]; vectors: Float64Array } {
  const rows = Array.from({ length: size }, (_, i) => Array.from(matrix.subarray(i * size, (i + 1) * size)));
  const evd = new EigenvalueDecomposition(new Dense(rows), { assumeSymmetric: true });
  const order = evd.realEigenvalues.map((v, i) => [v, i] as const).sort((p, q) => q[0] - p[0]);
  const v = evd.eigenvectorMatrix;
  const vectors = new Float64Array(size * size);
  order.forEach(([, from], to) => {
    for (let i = 0; i < size; i++) vectors[i * size + to] = v.get(i, from);
  });
  return { values: order.map(([value]) => value), vectors };
}

function centered(m: Matrix): Matrix {
  const { rows: n, cols: p } = m;
  const data = Float64Array.from(m.data);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += data[i * p + j];
    const mu = s / n;
    for (let i = 0; i < n; i++) data[i * p + j] -= mu;
  }
  return { data, rows: n, cols: p };
}

/** XᵀX (p × p). */
function crossGram(m: Matrix): Float64Array {
  const { rows: n, cols: p, data } = m;
  const g = new Float64Array(p * p);
  for (let i = 0; i < n; i++) {
    const row = i * p;
    for (let a = 0; a < p; a++) {
      const xa = data[row + a];
      if (xa === 0) continue;
      for (let b = a; b < p; b++) g[a * p + b] += xa * data[row + b];
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) g[a * p + b] = g[b * p + a];
  return g;
}

/** XXᵀ (n × n). */
function rowGram(m: Matrix): Float64Array {
  const { rows: n, cols: p, data } = m;
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let c = 0; c < p; c++) s += data[i * p + c] * data[j * p + c];
      g[i * n + j] = g[j * n + i] = s;
    }
  }
  return g;
}
