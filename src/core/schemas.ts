// Every JSON Schema published in `schemas/`, by file name, as the exact text to check in.
import { notebookJsonSchema } from "./format/schema";
import { hypothesisJsonSchema } from "./hypothesis/schema";
import { kernelProtocolJsonSchema } from "./kernel/protocol";
import { resultsJsonSchema } from "./export/results";

export function generatedSchemas(): Record<string, string> {
  return {
    "falsify-notebook.schema.json": `${JSON.stringify(notebookJsonSchema(), null, 2)}\n`,
    "hypothesis.schema.json": `${JSON.stringify(hypothesisJsonSchema(), null, 2)}\n`,
    "kernel-protocol.schema.json": `${JSON.stringify(kernelProtocolJsonSchema(), null, 2)}\n`,
    "results.schema.json": `${JSON.stringify(resultsJsonSchema(), null, 2)}\n`,
  };
}
