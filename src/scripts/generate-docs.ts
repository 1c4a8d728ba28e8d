// Writes the README's runtime table from the runtime's exports (src/scripts/runtime-table.ts). A unit
// test fails when the checked-in README differs from what this would write.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runtimeTable, withRuntimeTable } from "./runtime-table";

const file = join(__dirname, "..", "..", "README.md");
writeFileSync(file, withRuntimeTable(readFileSync(file, "utf8"), runtimeTable()));
console.log("wrote the runtime table in README.md");
