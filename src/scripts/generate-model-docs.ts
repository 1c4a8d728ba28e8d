// Writes media/docs/models.md, the ONNX op and Keras layer support tables, from the code itself.
// A unit test fails when the checked-in file differs from what this would write.
//   npx tsx src/scripts/generate-model-docs.ts
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { modelSupportMarkdown } from "../core/data/support";

const out = join(__dirname, "..", "..", "media", "docs", "models.md");
writeFileSync(out, modelSupportMarkdown());
console.log(`wrote ${out}`);
