// Falsify's chart builders: plain JSON in, Vega-Lite specs out, each carrying `usermeta.falsify`
// (ChartMeta) so the linter can tell a baselined, quantified chart from a lone picture. The
// notebook renderer draws them; `renderSvg`/`renderPng` draw them outside VS Code.
// Builders' internals (definedOnly, matrixShape, sameLength, falsifyChart) stay out of the runtime's surface.
export { ChartError, type ChartErrorKind, type ChartOptions, describeChart, describeStatistic, formatNumber, formatP, type ShownStatistic, VEGA_LITE_SCHEMA } from "./spec";
export * from "./attribution";
export * from "./sanity";
export * from "./ablation";
export * from "./distribution";
export * from "./histogram";
export * from "./selectivity";
export * from "./cka";
export * from "./dissection";
export * from "./feature-visualization";
export * from "./exemplar-prediction";
export * from "./study";
export * from "./probe";
export * from "./localisation";
export * from "./faithfulness";
export * from "./regularization";
export * from "./roar";
export * from "./verdict";
export * from "./render-node";
