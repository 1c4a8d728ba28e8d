// Pictures for a study page as PNG data URLs, so the page is one self-contained file: greyscale
// images in [0, 1] (or a given range) and signed explanation maps on a diverging blue–white–red
// scale. A minimal PNG writer (8-bit RGB, one IDAT chunk, zlib from Node): the images are small.
import { deflateSync } from "node:zlib";

export type Colormap = "gray" | "diverging";

export interface Picture {
  /** Rows of values (height × width). */
  values: readonly (readonly number[])[];
  /** What the picture shows, for screen readers (required: the study must be usable without sight of it). */
  alt: string;
  caption?: string;
  /** `gray` (default): low = black, high = white. `diverging`: negative blue, 0 white, positive red. */
  colormap?: Colormap;
  /** The values mapped to the ends of the scale. Default: [0, 1] for gray, ±max |value| for diverging. */
  range?: [number, number];
  /** Display width in CSS pixels (pixelated upscaling). Default 192. */
  width?: number;
}

/** The picture as a `data:image/png;base64,...` URL. */
export function pictureDataUrl(picture: Picture): string {
  const { values } = picture;
  const height = values.length, width = values[0]?.length ?? 0;
  if (!height || !width || values.some((row) => row.length !== width)) throw new RangeError(`a picture needs non-empty rows of equal length ("${picture.alt}")`);
  const colour = colourScale(picture);
  const raw = Buffer.alloc(height * (1 + 3 * width));
  for (let r = 0; r < height; r++) {
    const row = r * (1 + 3 * width); // each row starts with filter type 0 (none)
    for (let c = 0; c < width; c++) raw.set(colour(values[r][c]), row + 1 + 3 * c);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, deflate, no filter, no interlace
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
  return `data:image/png;base64,${png.toString("base64")}`;
}

function colourScale(picture: Picture): (v: number) => [number, number, number] {
  const byte = (t: number) => Math.round(255 * Math.min(1, Math.max(0, t)));
  if ((picture.colormap ?? "gray") === "gray") {
    const [lo, hi] = picture.range ?? [0, 1];
    return (v) => {
      const g = byte((v - lo) / (hi - lo || 1));
      return [g, g, g];
    };
  }
  const bound = picture.range ? Math.max(Math.abs(picture.range[0]), Math.abs(picture.range[1])) : Math.max(...picture.values.flat().map(Math.abs));
  return (v) => {
    const t = bound > 0 ? v / bound : 0;
    // White at 0, fading to red (positive) or blue (negative).
    return t >= 0 ? [255, byte(1 - t), byte(1 - t)] : [byte(1 + t), byte(1 + t), 255];
  };
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
