// The generator stamp of exported scripts: the package's name and version.
import packageJson from "../../../package.json";

export function generatorName(): string {
  return `${packageJson.name} ${packageJson.version}`;
}
