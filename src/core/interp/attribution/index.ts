// Attribution: which input values a class score depends on. Every method is batched, leaves no
// tensors behind, and returns plain arrays with the classes it explained.
export * from "./scores";
export * from "./result";
export * from "./quadrature";
export * from "./gradient";
export * from "./integrated-gradients";
export * from "./smoothgrad";
