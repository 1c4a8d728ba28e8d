// `baseline(name, values)`: marks a computed control in a cell, so a reader (and the linter) can
// see which numbers are the baseline a picture or a test is compared with. It returns its input
// unchanged; the meaning is in the call, which the linter finds statically.

export interface BaselineOptions {
  /** The hypothesis this control belongs to, when the cell is not linked with `// @hypothesis`. */
  hypothesis?: string;
}

/** Names `values` as the control `name` (one of the hypothesis' declared `baselines`) and returns them. */
export function baseline<T>(name: string, values: T, options: BaselineOptions = {}): T {
  void name;
  void options;
  return values;
}
