export * from "./verdict";
export * from "./corrections";
export * from "./reading";
