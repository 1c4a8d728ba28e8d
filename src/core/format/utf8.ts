// Files are UTF-8. A decoder that replaces invalid bytes with U+FFFD would let a rewrite (fmt, run
// --write, a save in the editor) change bytes the user wrote, so invalid UTF-8 is refused, with
// the line and column of the first bad byte.
import type { TextPosition } from "./json-location";

const strict = new TextDecoder("utf-8", { fatal: true });

export type Decoded = { ok: true; text: string } | { ok: false; message: string; position: TextPosition };

export function decodeUtf8(bytes: Uint8Array): Decoded {
  try {
    return { ok: true, text: strict.decode(bytes) };
  } catch {
    const at = firstInvalidByte(bytes);
    const before = strict.decode(bytes.subarray(0, at));
    const lineStart = before.lastIndexOf("\n") + 1;
    const position = { offset: before.length, line: before.split("\n").length, column: before.length - lineStart + 1 };
    const byte = at < bytes.length ? `byte 0x${bytes[at].toString(16).toUpperCase().padStart(2, "0")}` : "at the end";
    return { ok: false, message: `invalid UTF-8 (${byte}): the file must be UTF-8`, position };
  }
}

/** Index of the first byte that does not start or continue a well-formed UTF-8 sequence (RFC 3629). */
function firstInvalidByte(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (!length) return i;
    // The second byte's range excludes overlong forms, surrogates and code points above U+10FFFF.
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < length; k++) {
      const b = bytes[i + k];
      if (b === undefined || b < (k === 1 ? low : 0x80) || b > (k === 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  return bytes.length;
}
