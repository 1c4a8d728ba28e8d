// esbuild's `file` loader: importing a .wasm file gives its path relative to the bundle (the
// `dataurl` loader of the bundled-script runtime gives a data: URL instead: a string too).
declare module "*.wasm" {
  const path: string;
  export default path;
}
