// jsfive ships no types: the part of its API the Keras reader uses (groups, datasets, attributes).
declare module "jsfive" {
  export class Group {
    readonly keys: string[];
    readonly attrs: Record<string, unknown>;
    get(path: string): Group | Dataset | undefined;
  }
  export class Dataset {
    readonly shape: number[];
    readonly dtype: string | unknown[];
    readonly value: ArrayLike<number>;
    readonly attrs: Record<string, unknown>;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename: string);
  }
}
