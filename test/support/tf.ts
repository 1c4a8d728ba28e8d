// The one tfjs instance of a test process, on the best backend that loads (tfjs-node on CI, where
// `npm run setup:native` builds it). Tests that need tensors call `await testTf()`.
import { loadTensorFlow, type LoadedTf } from "../../src/core/backend";

export function testTf(): Promise<LoadedTf> {
  return loadTensorFlow({ searchFrom: [process.cwd()] });
}
