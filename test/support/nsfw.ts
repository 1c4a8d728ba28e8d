// The pretrained nsfwjs models (devDependency, MIT; weights inside the package as JS modules),
// loaded through the public loadModel from memory, as a notebook would: the real-scale subjects
// of the 224x224 tests and benchmarks.
import { loadModel, type LoadedModel } from "../../src/core/data";

interface PackagedModel {
  modelJson(): Promise<{ default: unknown }>;
  weightBundles: (() => Promise<{ default: string }>)[];
}

/** `mobilenet_v2`: a Keras MobileNetV2 layers model (5 classes); `mobilenet_v2_mid`: a MobileNetV2 graph model. */
export async function loadNsfwModel(name: "mobilenet_v2" | "mobilenet_v2_mid"): Promise<LoadedModel> {
  const exported = require(`nsfwjs/models/${name}`) as Record<string, PackagedModel>;
  const packaged = Object.values(exported)[0];
  const modelJson = (await packaged.modelJson()).default;
  const weights = await Promise.all(packaged.weightBundles.map(async (bundle) => Buffer.from((await bundle()).default, "base64")));
  return loadModel({ modelJson: modelJson as never, weights, name: `nsfwjs ${name}` });
}
