// Bundles the extension (and its in-extension-host tests) with esbuild, so the .vsix needs no
// node_modules: out/extension.js (the extension) and out/test/index.js (run by the e2e test).
import { build } from "esbuild";

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  external: ["vscode"],
  sourcemap: false,
  logLevel: "warning",
};
await build({ ...common, entryPoints: ["src/extension.ts"], outfile: "out/extension.js", minify: true });
await build({ ...common, entryPoints: ["src/test/index.ts"], outfile: "out/test/index.js" });
