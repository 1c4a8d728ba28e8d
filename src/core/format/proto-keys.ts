// zod leaves out an own `__proto__` key when it copies an object (on purpose: assigning it would
// set the prototype). In a notebook or a results file it is an ordinary key someone wrote, so it
// is put back into the copies, as an own data property, from the value that was read.

/** `parsed` (zod's copy of `raw`) with every own `__proto__` key of `raw` that the copy lost. */
export function keepProtoKeys<T>(raw: unknown, parsed: T): T {
  restore(raw, parsed);
  return parsed;
}

function restore(raw: unknown, parsed: unknown): void {
  // Parts zod did not copy (values under z.unknown()) are the very objects that were read.
  if (raw === parsed || typeof raw !== "object" || raw === null || typeof parsed !== "object" || parsed === null) return;
  if (Array.isArray(raw)) {
    if (Array.isArray(parsed)) raw.forEach((item, i) => restore(item, parsed[i]));
    return;
  }
  const source = raw as Record<string, unknown>;
  const copy = parsed as Record<string, unknown>;
  if (Object.hasOwn(source, "__proto__") && !Object.hasOwn(copy, "__proto__")) {
    // Defined, not assigned: own, enumerable and writable, as JSON.parse makes it.
    const value = Object.getOwnPropertyDescriptor(source, "__proto__")!.value as unknown;
    Object.defineProperty(copy, "__proto__", { value, enumerable: true, writable: true, configurable: true });
  }
  for (const key of Object.keys(source)) if (key !== "__proto__") restore(source[key], copy[key]);
}
