// Pictures for a study page as PNG data URLs, so the page is one self-contained file: greyscale
// images in [0, 1] (or a given range) and signed explanation maps on a diverging blue–white–red
// scale, written as 8-bit RGB PNGs (../charts/png.ts).
import { encodePng } from "../charts/png";

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
  const rgb = new Uint8Array(height * width * 3);
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) rgb.set(colour(values[r][c]), 3 * (r * width + c));
  return `data:image/png;base64,${encodePng(width, height, { rgb }).toString("base64")}`;
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
