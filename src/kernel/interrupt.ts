// Interrupts that reach a kernel whose main thread is stuck in user code. A worker thread reads the
// control pipe (fd 3) and raises a flag in shared memory; rewritten cell code checks the flag at
// every loop iteration and function entry and throws `Interrupted`. The worker also tells the main
// thread, which rejects the await the cell is blocked on (if it is idle, not spinning) and stops
// what the cell set going in the library (training: session.ts).
// When the client goes away (the pipe ends) the worker kills the process, stuck or not.
import { Worker } from "node:worker_threads";

export class Interrupted extends Error {
  override name = "Interrupted";
  constructor() {
    super("stopped by the user; the kernel's state is kept.");
  }
}

/** Slot 0: interrupt flag; slot 1: id of the running execution (0: none). */
const FLAG = 0;
const RUNNING = 1;

const WORKER_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const net = require("node:net");
const shared = workerData;
const control = new net.Socket({ fd: 3, readable: true, writable: false });
let buffered = "";
control.setEncoding("utf8");
control.on("data", (chunk) => {
  buffered += chunk;
  let newline;
  while ((newline = buffered.indexOf("\\n")) >= 0) {
    const line = buffered.slice(0, newline);
    buffered = buffered.slice(newline + 1);
    let message;
    try { message = JSON.parse(line); } catch { continue; }
    if (message.type !== "interrupt") continue;
    const running = Atomics.load(shared, ${RUNNING});
    if (running !== 0 && (message.id === undefined || message.id === running)) {
      Atomics.store(shared, ${FLAG}, 1);
      parentPort.postMessage(running);
    }
  }
});
const die = () => process.kill(process.pid, "SIGKILL");
control.on("end", die);
control.on("error", die);
`;

export class InterruptChannel {
  /** Read by rewritten code as `__falsify.i[0]`. */
  readonly flag: Int32Array;
  private readonly shared: Int32Array;
  private rejectCurrent: ((error: Interrupted) => void) | undefined;
  private current: Promise<never> | undefined;
  private readonly listeners: (() => void)[] = [];

  constructor() {
    this.shared = new Int32Array(new SharedArrayBuffer(8));
    this.flag = this.shared.subarray(FLAG, FLAG + 1);
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: this.shared });
    worker.on("message", (id: number) => {
      if (id !== Atomics.load(this.shared, RUNNING)) return;
      this.listeners.forEach((listener) => listener());
      this.rejectCurrent?.(new Interrupted());
    });
    worker.unref();
  }

  /**
   * Calls `listener` on the main thread when the running cell is interrupted and the thread is not
   * stuck in synchronous code: for work the cell started that goes on without it (model.fit).
   */
  onInterrupt(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Marks run `id` as the one an interrupt stops. */
  begin(id: number): void {
    Atomics.store(this.shared, FLAG, 0);
    Atomics.store(this.shared, RUNNING, id);
    this.current = new Promise<never>((_, reject) => (this.rejectCurrent = reject));
    this.current.catch(() => {});
  }

  end(): void {
    Atomics.store(this.shared, RUNNING, 0);
    Atomics.store(this.shared, FLAG, 0);
    this.rejectCurrent = undefined;
    this.current = undefined;
  }

  get interrupted(): boolean {
    return Atomics.load(this.shared, FLAG) !== 0;
  }

  readonly stop = (): never => {
    throw new Interrupted();
  };

  /** Settles like `value`, or rejects once the running cell is interrupted. */
  readonly race = <T>(value: T): Promise<Awaited<T>> | T => {
    if (!this.current || !isThenable(value)) return value;
    return Promise.race([value, this.current]) as Promise<Awaited<T>>;
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}
