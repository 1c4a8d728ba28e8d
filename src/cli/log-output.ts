// `falsify run --log-output`: what each cell prints, on the terminal as it runs (as papermill's
// --log-output does): stdout to stdout, stderr to stderr, each display as its text rendering. Chunks
// are cut into whole lines (io writes lines); a cell's unfinished last line is flushed when it ends.
import { MIME } from "../core/display";
import type { RunEvent } from "../core/kernel/protocol";
import type { RunListener } from "../kernel/client";
import type { CliIo } from "./command";

export interface CellLog {
  listener: RunListener;
  /** Prints what is left of a line the cell started but did not end. */
  flush(): void;
}

export function cellLog(io: CliIo): CellLog {
  const pending = { stdout: "", stderr: "" };
  const write = { stdout: io.out, stderr: io.err };
  const emit = (name: "stdout" | "stderr", text: string) => {
    const lines = (pending[name] + text).split("\n");
    pending[name] = lines.pop() ?? "";
    for (const line of lines) write[name](line);
  };
  const flush = () => {
    for (const name of ["stdout", "stderr"] as const) {
      if (pending[name]) write[name](pending[name]);
      pending[name] = "";
    }
  };
  const listener = (event: RunEvent) => {
    if (event.type === "stream") emit(event.name, event.text);
    else if (event.type === "display") {
      flush();
      const text = event.items.find((item) => item.mime === MIME.text)?.data;
      for (const line of (typeof text === "string" ? text : `[${event.items[0]?.mime ?? "empty display"}]`).split("\n")) io.out(line);
    }
  };
  return { listener, flush };
}
