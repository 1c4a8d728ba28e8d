// Running a Graph (graph.ts) in a TensorFlow session of the tfjs-node backend, through the backend's
// SavedModel entry points (duck-typed: src/core never imports tfjs-node, which is loaded from the
// workspace when present). Inputs and outputs are ordinary tfjs tensors of the one tfjs instance,
// tracked by its engine like any other (tf.tidy frees them).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { DType, Graph } from "./graph";

/** The part of tfjs-node's backend that loads and runs SavedModels. */
interface SavedModelBackend {
  loadSavedModelMetaGraph(path: string, tags: string): number;
  deleteSavedModel(id: number): void;
  runSavedModel(id: number, inputs: tf.Tensor[], inputInfos: { name: string; tfDtype: string }[], outputNames: string[]): tf.Tensor[];
}

export interface Session {
  /** Runs the graph on `inputs` (placeholder name → tensor) and returns the named outputs, in order. */
  run(inputs: Record<string, tf.Tensor>, outputs: readonly string[]): tf.Tensor[];
}

const TF_DTYPE: Record<DType, string> = { float32: "DT_FLOAT", int32: "DT_INT32", bool: "DT_BOOL" };

/** Whether the active backend can run graphs (tfjs-node). */
export function canRunGraphs(): boolean {
  const backend = tf.backend() as unknown as Partial<SavedModelBackend>;
  return tf.getBackend() === "tensorflow" && [backend.loadSavedModelMetaGraph, backend.runSavedModel, backend.deleteSavedModel].every((f) => typeof f === "function");
}

/** Closes a session's native half once its Session object is garbage. */
const closer = new FinalizationRegistry<{ backend: SavedModelBackend; id: number }>(({ backend, id }) => backend.deleteSavedModel(id));

/**
 * Loads `graph` into a new session of the active tfjs-node backend. Throws when the backend cannot
 * run graphs (check `canRunGraphs`) or TensorFlow rejects the graph. Loading and the first run
 * (where TensorFlow optimises the graph) take milliseconds: callers keep one session per graph.
 */
export function loadSession(graph: Graph): Session {
  if (!canRunGraphs()) throw new Error(`graphs run only on the tfjs-node backend, not ${tf.getBackend()}`);
  const backend = tf.backend() as unknown as SavedModelBackend;
  // TensorFlow's loader reads a SavedModel from a folder; the session keeps the graph in memory.
  const dir = mkdtempSync(join(tmpdir(), "falsify-graph-"));
  let id: number;
  try {
    writeFileSync(join(dir, "saved_model.pb"), graph.savedModel());
    id = backend.loadSavedModelMetaGraph(dir, "serve");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const session: Session = {
    run(inputs, outputs) {
      const names = Object.keys(inputs);
      const tensors = names.map((name) => inputs[name]);
      const infos = tensors.map((t, k) => ({ name: names[k], tfDtype: TF_DTYPE[t.dtype as DType] ?? "DT_FLOAT" }));
      return backend.runSavedModel(id, tensors, infos, [...outputs]);
    },
  };
  closer.register(session, { backend, id });
  return session;
}

/**
 * A graph's session, loaded at the first run. `run` answers undefined when the backend runs no
 * graphs or TensorFlow rejected the graph (said once, on the console): the caller's own route then
 * runs, every time, with the same results, only slower.
 */
export class LazySession {
  private session?: Session;
  private rejected = false;

  constructor(private readonly graph: Graph) {}

  run(inputs: Record<string, tf.Tensor>, outputs: readonly string[]): tf.Tensor[] | undefined {
    if (this.rejected || !canRunGraphs()) return undefined;
    try {
      this.session ??= loadSession(this.graph);
    } catch (error) {
      console.warn(`falsify: TensorFlow rejected a graph, so this runs op by op (slower): ${(error as Error).message.split("\n")[0]}`);
      this.rejected = true;
      return undefined;
    }
    return this.session.run(inputs, outputs);
  }
}
