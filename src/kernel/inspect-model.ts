// A model file's inspection (core's inspectModel), computed in a kernel: the one process that loads
// tfjs and the importers, so callers such as the extension host never do.
import type { ModelInspection } from "../core/data/inspect";
import type { KernelClient } from "./client";

export async function inspectInKernel(client: KernelClient, path: string): Promise<ModelInspection> {
  // The path enters the cell as a JSON string literal: data, never code.
  const source = `import { inspectModel, loadModel } from "falsify";\nconsole.log(JSON.stringify(inspectModel(await loadModel(${JSON.stringify(path)}))));`;
  const result = await client.execute({ source });
  if (result.status !== "ok") throw new Error(result.error?.message ?? result.died ?? `the kernel reported ${result.status}`);
  const printed = result.outputs.flatMap((o) => o.items).find((item) => item.mime === "application/vnd.code.notebook.stdout");
  return JSON.parse(String(printed?.data)) as ModelInspection;
}
