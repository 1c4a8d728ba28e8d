// The kernel's TensorFlow.js and the runtime library built on it (`tf`, `fx`, "falsify"), loaded once
// per kernel: when it starts (the editor), or before the first cell that may use them (`falsify
// run`), so a notebook that never does pays nothing for them: loading tfjs-node and the runtime took
// 0.7 s of a one-cell `falsify run`'s 2.1 s.
import { loadTensorFlow, loadTensorFlowNow, type LoadedTf, type LoadOptions } from "../core/backend";
import { moduleGlobal } from "../core/cell/environment";
import type { TensorFlowInfo } from "../core/kernel/protocol";

/** Math.random as the process started, before any seeding (seedCellRandomness replaces it). */
const unseeded = Math.random;

/** The runtime library (`fx`, `import ... from "falsify"`). */
export type Runtime = typeof import("../runtime");

export interface TensorFlowEnvironment {
  loaded: LoadedTf;
  runtime: Runtime;
}

export class KernelTensorFlow {
  private loaded: LoadedTf | undefined;
  private runtime: Runtime | undefined;
  private settled = false;
  /** True while tfjs' own modules load: their imports of each other are not the kernel's to answer. */
  private loading = false;
  private readonly loadListeners: ((environment: TensorFlowEnvironment) => void)[] = [];

  /** `onSettled` is called once, when the backend is known (the wasm backend initialised, or failed and cpu runs). */
  constructor(
    private readonly options: LoadOptions,
    private readonly onSettled: (info: TensorFlowInfo) => void,
  ) {}

  /** What is loaded (undefined: nothing yet). */
  get current(): TensorFlowEnvironment | undefined {
    return this.loaded && this.runtime && { loaded: this.loaded, runtime: this.runtime };
  }

  /** Called once, when they load (before any cell code uses them). */
  onLoad(listener: (environment: TensorFlowEnvironment) => void): void {
    this.loadListeners.push(listener);
  }

  /** Loads them, waiting for the backend to be ready. */
  async load(): Promise<void> {
    this.loadedAs(await this.whileLoading(() => loadTensorFlow(this.options)), true);
  }

  /**
   * Loads them without waiting, for code that cannot (a `require` of tfjs, a read of `tf` that no
   * reading foresaw): on wasm, tfjs may still be initialising its backend (see loadTensorFlowNow).
   */
  loadNow(): TensorFlowEnvironment {
    if (!this.loaded) {
      this.loadedAs(this.whileLoading(() => loadTensorFlowNow(this.options)), false);
      void this.load();
    }
    return this.current as TensorFlowEnvironment;
  }

  /**
   * What an import of a tfjs entry point (the one tfjs instance) or of "falsify" (the runtime
   * library) gives cells and the packages they load, loaded now if need be; undefined for any
   * other module.
   */
  module(request: string): { exports: unknown } | undefined {
    const global = this.loading ? undefined : moduleGlobal(request);
    if (global === "tf") return { exports: (this.loaded ?? this.loadNow().loaded).tf };
    if (global === "fx") return { exports: this.loadNow().runtime };
    return undefined;
  }

  private whileLoading<T>(load: () => T): T {
    // Not with source maps on (modules.ts turns them on for the user's .ts files): Node would read
    // the maps of all of tfjs, hundreds of MB of JSON (a kernel with a 48 MB heap died of it).
    const sourceMaps = process.sourceMapsEnabled;
    process.setSourceMapsEnabled(false);
    // Not from the notebook's seeded stream either: seedrandom (in tfjs) draws from Math.random as it
    // loads, which would shift every seeded draw after it by when tfjs happened to load (before the
    // seed in an exported script, after it in the editor, on first use in `falsify run`).
    const seeded = Math.random;
    Math.random = unseeded;
    this.loading = true;
    try {
      return load();
    } finally {
      this.loading = false;
      Math.random = seeded;
      process.setSourceMapsEnabled(sourceMaps);
    }
  }

  private loadedAs(loaded: LoadedTf, settled: boolean): void {
    const first = !this.loaded;
    this.loaded = loaded;
    if (first) {
      // Required once tf is there: the runtime's own tfjs imports resolve (modules.ts) to this instance.
      this.runtime = require("../runtime") as Runtime;
      for (const listener of this.loadListeners) listener({ loaded, runtime: this.runtime });
    }
    if (settled && !this.settled) {
      this.settled = true;
      const { backend, tfjsVersion, notes, why } = loaded;
      this.onSettled({ backend, tfjsVersion, notes, why });
    }
  }
}
