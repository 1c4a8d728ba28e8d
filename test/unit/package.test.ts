// The .vsix ships only what runs: `.vscodeignore` is an allow-list. This asks vsce itself which files
// it would pack from a scratch folder holding every file the manifest refers to plus the kind of files
// that must never ship (sources, tests, source maps, caches, dependencies), so it needs no build.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, normalize } from "node:path";
import { after, test } from "node:test";
import { PackageManager, listFiles } from "@vscode/vsce";
import { MIME } from "../../src/core/display";

interface Manifest {
  main: string;
  bin?: Record<string, string>;
  icon?: string;
  contributes: {
    languages?: { configuration?: string }[];
    grammars?: { path: string }[];
    jsonValidation?: { url: string }[];
    notebookRenderer?: { entrypoint: string | { path: string }; mimeTypes: string[] }[];
  };
}

const manifest = JSON.parse(readFileSync("package.json", "utf8")) as Manifest;

/** Every file the installed extension loads, as named by package.json. */
function referencedFiles(): string[] {
  const paths = [
    manifest.main,
    ...Object.values(manifest.bin ?? {}),
    ...(manifest.icon ? [manifest.icon] : []),
    ...(manifest.contributes.languages ?? []).flatMap((language) => language.configuration ?? []),
    ...(manifest.contributes.grammars ?? []).map((grammar) => grammar.path),
    ...(manifest.contributes.jsonValidation ?? []).map((rule) => rule.url),
    ...(manifest.contributes.notebookRenderer ?? []).map(({ entrypoint }) => (typeof entrypoint === "string" ? entrypoint : entrypoint.path)),
  ];
  return paths.map((path) => normalize(path).replace(/\\/g, "/"));
}

/** Files the extension loads at run time that the manifest does not name: the kernel process and what it loads. */
const RUNTIME_FILES = ["dist/commands.js", "dist/run.js", "dist/kernel.js", "dist/runtime.js", "dist/tfjs.js", "dist/wasm/tfjs-backend-wasm.wasm", "dist/wasm/tfjs-backend-wasm-simd.wasm"];

const NEVER_SHIPPED = [
  "src/vscode/extension.ts",
  "src/core/format/schema.ts",
  "test/unit/package.test.ts",
  "test/fixtures/format/valid.falsify",
  "dist/extension.js.map",
  "dist/kernel.js.map",
  "dist/falsify.vsix",
  "node_modules/zod/index.js",
  ".cache/code-server/out/node/entry.js",
  ".e2e/screenshots/open.png",
  "esbuild.js",
  "tsconfig.json",
  "package-lock.json",
];

const scratch = mkdtempSync(join(tmpdir(), "falsify-vsix-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

function touch(path: string): void {
  mkdirSync(dirname(join(scratch, path)), { recursive: true });
  writeFileSync(join(scratch, path), "x");
}

test(".vscodeignore packs exactly the files the manifest refers to, the docs, and nothing else", async () => {
  copyFileSync("package.json", join(scratch, "package.json"));
  copyFileSync(".vscodeignore", join(scratch, ".vscodeignore"));
  const shipped = [...referencedFiles(), ...RUNTIME_FILES, "README.md", "LICENSE"];
  for (const path of [...shipped, ...NEVER_SHIPPED]) touch(path);

  const files = await listFiles({ cwd: scratch, packageManager: PackageManager.None });

  assert.deepEqual([...files].sort(), [...new Set([...shipped, "package.json"])].sort());
});

test("the manifest refers to the production bundles, the schema and the language configuration", () => {
  const referenced = referencedFiles();
  for (const path of ["dist/extension.js", "dist/cli.js", "schemas/falsify-notebook.schema.json", "media/hypothesis-language-configuration.json"]) {
    assert.ok(referenced.includes(path), `package.json should refer to ${path}`);
  }
  // The language configuration is read by VS Code at install time: it must be valid JSON.
  const configuration = JSON.parse(readFileSync("media/hypothesis-language-configuration.json", "utf8")) as { comments: { lineComment: string } };
  assert.equal(configuration.comments.lineComment, "#");
});

test("the notebook renderer is declared for every Falsify MIME type and Vega-Lite (VS Code shows 'No renderer' otherwise)", () => {
  const declared = (manifest.contributes.notebookRenderer ?? []).flatMap((renderer) => renderer.mimeTypes);
  const falsify = Object.values(MIME).filter((mime) => mime.startsWith("application/vnd.falsify."));
  for (const mime of [...falsify, MIME.vegaLite]) assert.ok(declared.includes(mime), `no renderer declared for ${mime}`);
});
