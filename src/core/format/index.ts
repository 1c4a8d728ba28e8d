export * from "./schema";
export * from "./parse";
export * from "./serialize";
export * from "./cell-id";
export * from "./template";
export { positionAt, type TextPosition } from "./json-location";
export * from "./output-bytes";
export * from "./outputs";
