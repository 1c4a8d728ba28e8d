// Writes schemas/*.json from the zod schemas (the single source of truth). A unit test fails when
// the checked-in files differ from what this would write.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { generatedSchemas } from "../core/schemas";

for (const [file, text] of Object.entries(generatedSchemas())) {
  writeFileSync(join(__dirname, "..", "..", "schemas", file), text);
  console.log(`wrote schemas/${file}`);
}
