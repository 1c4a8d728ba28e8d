export * from "./verdict";
export * from "./corrections";
