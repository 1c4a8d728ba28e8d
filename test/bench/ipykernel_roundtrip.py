"""Baseline for kernel.bench.ts: round trip of `x = 1 + 1` through a Jupyter ipykernel.

From the client's execute request to the kernel's execute_reply (the end of the run), like the
Falsify figure (request -> `done`). Prints one JSON line: {"median_ms": ..., "runs": ...}.
"""
import json
import statistics
import sys
import time

from jupyter_client.manager import start_new_kernel


def main(runs: int, warmup: int) -> None:
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        times = []
        for i in range(warmup + runs):
            start = time.perf_counter()
            msg_id = client.execute("x = 1 + 1", store_history=False)
            while True:
                reply = client.get_shell_msg(timeout=10)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            elapsed = (time.perf_counter() - start) * 1000
            if i >= warmup:
                times.append(elapsed)
        print(json.dumps({"median_ms": statistics.median(times), "runs": runs}))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200, int(sys.argv[2]) if len(sys.argv) > 2 else 20)
