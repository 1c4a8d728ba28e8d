// Writes the README's runtime table from the runtime's exports (src/scripts/runtime-table.ts) and the
// walkthrough's page of worked examples from examples/ (src/scripts/walkthrough-examples.ts). Unit tests
// fail when the checked-in files differ from what this would write.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runtimeTable, withRuntimeTable } from "./runtime-table";
import { examplesPage, WALKTHROUGH_EXAMPLES } from "./walkthrough-examples";

const file = join(__dirname, "..", "..", "README.md");
writeFileSync(file, withRuntimeTable(readFileSync(file, "utf8"), runtimeTable()));
console.log("wrote the runtime table in README.md");
writeFileSync(WALKTHROUGH_EXAMPLES, examplesPage());
console.log("wrote the worked examples' page of the walkthrough");
