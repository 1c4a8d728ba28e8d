// Data and models for notebooks: the shipped digits example and loading user models from files.
export * from "./errors";
export * from "./digits";
export * from "./model";
export * from "./inspect";
