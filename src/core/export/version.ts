// The generator stamp of exported scripts: the package's name and version.
import packageJson from "../../../package.json";

/** This falsify's version: recorded with every cell run, checked by an exported script at start. */
export const FALSIFY_VERSION: string = packageJson.version;

export function generatorName(): string {
  return `${packageJson.name} ${packageJson.version}`;
}
