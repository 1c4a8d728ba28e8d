// Every `@tensorflow/tfjs*` import of the toolkit inside a bundled script's runtime resolves here
// (esbuild.js maps them): the one instance the script loaded before the toolkit was required,
// tfjs-node where it resolves, else the carried tfjs (see ../standalone.ts).
module.exports = require("../../core/backend").loadedTensorFlow();
