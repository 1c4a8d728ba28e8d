// The protocol-buffers wire format, write side only: enough to encode the few TensorFlow messages
// a graph needs (graph.ts). Fields are encoded one by one and a message is their concatenation, so
// nested messages are plain byte arrays; no schema and no library (tfjs-node carries generated
// message classes, but src/core never imports tfjs-node).

const encoder = new TextEncoder();

/** A varint; int64 values below zero take ten bytes (two's complement), as the format says. */
function varint(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

function key(field: number, wireType: 0 | 2 | 5): number[] {
  return varint((field << 3) | wireType);
}

/** An integer, enum or bool field (wire type 0). */
export function intField(field: number, value: number | bigint | boolean): Uint8Array {
  return Uint8Array.from([...key(field, 0), ...varint(typeof value === "boolean" ? Number(value) : value)]);
}

/** A float field (wire type 5, little-endian IEEE 754 single). */
export function floatField(field: number, value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setFloat32(0, value, true);
  return Uint8Array.from([...key(field, 5), ...bytes]);
}

/** A string, bytes or embedded-message field (wire type 2); a message is given as its fields. */
export function bytesField(field: number, value: string | Uint8Array | readonly Uint8Array[]): Uint8Array {
  const body = typeof value === "string" ? encoder.encode(value) : value instanceof Uint8Array ? value : concat(value);
  return concat([Uint8Array.from([...key(field, 2), ...varint(body.length)]), body]);
}

/** A packed repeated integer field (one length-delimited run of varints). */
export function packedIntsField(field: number, values: readonly number[]): Uint8Array {
  return bytesField(field, Uint8Array.from(values.flatMap((v) => varint(v))));
}

/** An entry of a map<string, Message> field: a message with key = 1 and value = 2. */
export function mapEntryField(field: number, mapKey: string, value: readonly Uint8Array[]): Uint8Array {
  return bytesField(field, [bytesField(1, mapKey), bytesField(2, value)]);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((offset, p) => (out.set(p, offset), offset + p.length), 0);
  return out;
}
