// The TensorFlow.js a bundled exported script carries, used where no @tensorflow/tfjs-node resolves:
// tfjs and its wasm backend, the .wasm binaries inlined as data: URLs (tfjs fetches them with
// Node's own fetch), so the script needs no file beside it. Single-threaded: the threaded build
// would start workers from a script file, and a bundled script is not one tfjs can load.
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import plain from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm";
import simd from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm";
import type { CarriedTfjs } from "../../core/backend";

export const carriedTfjs: CarriedTfjs = {
  tf,
  useWasmFiles() {
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    // tfjs wants all three names; the threaded one is never picked with threads off.
    setWasmPaths({ "tfjs-backend-wasm.wasm": plain, "tfjs-backend-wasm-simd.wasm": simd, "tfjs-backend-wasm-threaded-simd.wasm": simd }, true);
  },
};
