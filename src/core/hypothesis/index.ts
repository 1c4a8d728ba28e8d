export * from "./schema";
export * from "./parse";
export type { CellRange } from "./range";
export * from "./baseline";
export * from "./fields";
