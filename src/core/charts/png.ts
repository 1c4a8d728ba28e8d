// PNG files from 8-bit pixels (RGB, or indices into a palette), for pictures carried inside a spec
// or a page as data: URLs. Charts draw colour-mapped maps as paletted PNGs, one image mark instead
// of one rect per pixel: a 224x224 map is then ~50 KB of spec instead of 7.5 MB, and a palette keeps
// the file a third of RGB's. Node's zlib does the deflating; the rest is the PNG container
// (signature, IHDR, PLTE, IDAT, IEND, each chunk CRC-32'd).
import { deflateSync } from "node:zlib";

export type Rgb = [number, number, number];

/** `indices` (row-major, `width` × `height`) into `palette`, as `data:image/png;base64,…`. */
export function palettePngDataUrl(width: number, height: number, indices: Uint8Array, palette: readonly Rgb[]): string {
  return `data:image/png;base64,${encodePng(width, height, { indices, palette }).toString("base64")}`;
}

/** 8-bit pixels as a PNG file: RGB triples, or indices into a palette of at most 256 colours (both row-major). */
export function encodePng(width: number, height: number, pixels: { rgb: Uint8Array } | { indices: Uint8Array; palette: readonly Rgb[] }): Buffer {
  const [bytes, perPixel] = "rgb" in pixels ? [pixels.rgb, 3] : [pixels.indices, 1];
  if (bytes.length !== width * height * perPixel) throw new RangeError(`${bytes.length / perPixel} pixels for a ${width}x${height} image`);
  if ("palette" in pixels && (pixels.palette.length === 0 || pixels.palette.length > 256)) throw new RangeError(`a PNG palette has 1 to 256 colours, not ${pixels.palette.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, perPixel === 3 ? 2 : 3, 0, 0, 0], 8); // bit depth 8, colour type RGB (2) or palette (3), deflate, filter set 0, no interlace
  // Each row starts with its filter type: 0, none.
  const stride = width * perPixel;
  const raw = Buffer.alloc(height * (stride + 1));
  for (let row = 0; row < height; row++) raw.set(bytes.subarray(row * stride, (row + 1) * stride), row * (stride + 1) + 1);
  const palette = "palette" in pixels ? [chunk("PLTE", Buffer.from(pixels.palette.flat().map((v) => Math.max(0, Math.min(255, Math.round(v))))))] : [];
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    ...palette,
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (ISO 3309, as PNG specifies) of `bytes`. */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
