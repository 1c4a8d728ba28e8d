// Starting a kernel process, in a module of its own (Node's child_process only): `falsify run`
// starts one before loading the rest of its own code, so the two processes load side by side.
import { spawn, type ChildProcess } from "node:child_process";

export interface KernelProcessOptions {
  /** The kernel bundle (dist/kernel.js). */
  kernelScript: string;
  /** Where it starts; it moves to the notebook's folder when it is initialised. */
  cwd: string;
  /** Default `process.execPath` (Electron in desktop VS Code: run as Node through ELECTRON_RUN_AS_NODE). */
  execPath?: string;
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

/** IPC for requests and events, fd 3 for interrupts (interrupt.ts), stdout and stderr piped to the client. */
export function spawnKernel(options: KernelProcessOptions): ChildProcess {
  const child = spawn(options.execPath ?? process.execPath, [...(options.execArgv ?? []), options.kernelScript], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, ELECTRON_RUN_AS_NODE: "1" },
    stdio: ["ignore", "pipe", "pipe", "pipe", "ipc"],
    windowsHide: true,
  });
  // Until a client listens, a failure to start is kept for it (KernelClient.start), not thrown as an unhandled 'error'.
  child.once("error", (error) => {
    startFailure.set(child, error);
  });
  return child;
}

const startFailure = new WeakMap<ChildProcess, Error>();

/** Why a kernel process spawnKernel started could not start or has ended, if it has. */
export function kernelProcessEnded(child: ChildProcess): string | undefined {
  const failure = startFailure.get(child);
  if (failure) return failure.message;
  if (child.exitCode !== null || child.signalCode !== null) return child.signalCode ? `killed by ${child.signalCode}` : `exited with code ${child.exitCode}`;
  return undefined;
}
