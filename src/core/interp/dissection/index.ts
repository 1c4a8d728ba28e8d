// Network dissection: units scored against concept masks, with the shuffled-masks and random-direction
// controls. The morphology behind the digits' concepts stays internal (its names are too generic for
// the runtime's namespace).
export * from "./concepts";
export * from "./dissect";
