export * from "./schema";
export * from "./parse";
export * from "./serialize";
export * from "./cell-id";
export * from "./template";
export { MAX_JSON_DEPTH, positionAt, type TextPosition } from "./json-location";
export { decodeUtf8 } from "./utf8";
export * from "./output-bytes";
export * from "./outputs";
