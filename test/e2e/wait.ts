// The one way e2e code waits: poll a condition until it holds, with a message saying what was awaited.

/**
 * Polls `condition` until it returns a truthy value (returned) or `ms` pass (throws `message`, with
 * the last error the condition threw). The only way scenarios should wait.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, ms: number, message: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError ? ` (last error: ${(lastError as Error).message ?? String(lastError)})` : "";
      throw new Error(`Timed out after ${ms} ms: ${message}${cause}`);
    }
    await new Promise((done) => setTimeout(done, 100)); // poll interval, not synchronisation
  }
}
