// Errors of data and model loading: a kind to branch on, and a message that says what to do.

export type DataErrorKind =
  | "missing-file"
  | "wrong-format"
  | "wrong-input-shape"
  | "backend-unavailable"
  | "invalid-argument";

export class DataError extends Error {
  override readonly name = "DataError";
  constructor(
    readonly kind: DataErrorKind,
    message: string,
  ) {
    super(message);
  }
}
