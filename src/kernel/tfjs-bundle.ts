// dist/tfjs.js: TensorFlow.js and its wasm backend for a packaged extension, whose .vsix carries no
// node_modules. The kernel loads it (backend.ts `bundled`) when the workspace has no tfjs-node; the
// .wasm files are copied next to it (dist/wasm/) by esbuild's `file` loader.
import { dirname, join } from "node:path";
import plain from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm";
import simd from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm";
import threadedSimd from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm";

export * from "@tensorflow/tfjs";
export { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";

/** The .wasm files (paths relative to this bundle) the wasm backend picks from. */
export const wasmFiles = [plain, simd, threadedSimd];
/** Their folder. */
export const wasmDir = dirname(join(__dirname, plain));
