// Writes nsfwjs' MobileNetV2 (the package's uint8-quantised weights, dequantised by tfjs as any
// user of the model gets them) as a float32 model.json + weights.bin, for the Python reference
// generator: `node --import tsx test/reference/interp/dump_nsfw_mobilenet.ts <dir>`.
import { saveLayersModel } from "../../../src/core/data";
import { loadNsfwModel } from "../../support/nsfw";

void (async () => {
  const loaded = await loadNsfwModel("mobilenet_v2");
  if (loaded.kind !== "layers") throw new Error("mobilenet_v2 should be a layers model");
  await saveLayersModel(loaded.model, process.argv[2]);
})();
