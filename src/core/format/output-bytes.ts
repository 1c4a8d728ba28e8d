// Output items live as bytes in VS Code and as readable JSON in the file. JSON MIME types are
// stored as JSON values (diffable), text as strings, anything else as base64, and every conversion
// is lossless: bytes that are not what their MIME type promises fall back to base64.
import type { OutputItem } from "./schema";

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** JSON MIME types, and VS Code's error output (JSON {name, message, stack} under a non-JSON name). */
export function isJsonMime(mime: string): boolean {
  return /(^|[/+.])json$/i.test(mime) || mime === "application/vnd.code.notebook.error";
}

function isTextMime(mime: string): boolean {
  return mime.startsWith("text/") || mime === "image/svg+xml" || mime.startsWith("application/vnd.code.notebook.std") || mime === "application/javascript";
}

export function outputItemFromBytes(mime: string, bytes: Uint8Array): OutputItem {
  if (isJsonMime(mime) || isTextMime(mime)) {
    let text: string | undefined;
    try {
      text = strictUtf8.decode(bytes);
    } catch {
      text = undefined;
    }
    if (text !== undefined && !isJsonMime(mime)) return { mime, data: text };
    if (text !== undefined) {
      try {
        return { mime, data: JSON.parse(text) };
      } catch {
        // Not JSON after all: keep the exact bytes.
      }
    }
  }
  return { mime, encoding: "base64", data: Buffer.from(bytes).toString("base64") };
}

export function outputItemToBytes(item: OutputItem): Uint8Array {
  if (item.encoding === "base64") return new Uint8Array(Buffer.from(String(item.data), "base64"));
  if (isJsonMime(item.mime)) return utf8.encode(JSON.stringify(item.data));
  return utf8.encode(typeof item.data === "string" ? item.data : JSON.stringify(item.data));
}
