// Errors of data and model loading: a kind to branch on, and a message that says what to do.

export type DataErrorKind =
  | "missing-file"
  | "wrong-format"
  | "wrong-input-shape"
  | "backend-unavailable"
  | "invalid-argument"
  /** A model file in a known format that uses an op or layer Falsify cannot compute (refused, never approximated). */
  | "unsupported-model";

export class DataError extends Error {
  override readonly name = "DataError";
  constructor(
    readonly kind: DataErrorKind,
    message: string,
  ) {
    super(message);
  }
}
