// Ablating a direction or a subspace that is not a unit: project it out of the activations,
//   h' = h − U(UᵀU)⁻¹Uᵀh = h − Q Qᵀ h   with Q an orthonormal basis of span(U),
// applied along the last (units) axis, so for conv maps it removes the direction at every position.
import * as tf from "@tensorflow/tfjs";
import { InterpError } from "../activations";

/**
 * An orthonormal basis (rows) of the span of `directions` (rows, each of length `units`), by modified
 * Gram–Schmidt with one re-orthogonalisation pass in float64. Linearly dependent directions are an error.
 */
export function orthonormalBasis(directions: readonly (readonly number[])[], units?: number): number[][] {
  if (directions.length === 0) throw new InterpError("invalid-input", "directions is empty: give at least one direction to project out");
  const width = units ?? directions[0].length;
  const basis: Float64Array[] = [];
  for (const [k, direction] of directions.entries()) {
    if (direction.length !== width) {
      throw new InterpError("shape-mismatch", `direction ${k} has ${direction.length} components; the layer has ${width} units`);
    }
    const v = Float64Array.from(direction);
    const norm0 = Math.hypot(...v);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        let dot = 0;
        for (let i = 0; i < width; i++) dot += q[i] * v[i];
        for (let i = 0; i < width; i++) v[i] -= dot * q[i];
      }
    }
    const norm = Math.hypot(...v);
    if (!(norm > 1e-10 * norm0)) {
      throw new InterpError("invalid-input", `direction ${k} is zero or lies in the span of the previous ones; pass linearly independent directions`);
    }
    basis.push(v.map((x) => x / norm));
  }
  return basis.map((q) => Array.from(q));
}

/** `h` with the span of `basis` (orthonormal rows, from `orthonormalBasis`) removed along its last axis. */
export function projectOutBasis(h: tf.Tensor, basis: tf.Tensor2D): tf.Tensor {
  return tf.tidy(() => {
    const units = h.shape[h.rank - 1];
    const flat = h.reshape([-1, units]);
    const coefficients = tf.matMul(flat, basis, false, true); // [rows, k]
    return flat.sub(tf.matMul(coefficients, basis)).reshape(h.shape);
  });
}

/** `h` with the subspace spanned by `directions` (rows, any non-degenerate set) projected out along the last axis. */
export function projectOut(h: tf.Tensor, directions: readonly (readonly number[])[]): tf.Tensor {
  return tf.tidy(() => projectOutBasis(h, tf.tensor2d(orthonormalBasis(directions, h.shape[h.rank - 1]))));
}
