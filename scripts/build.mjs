#!/usr/bin/env node
/**
 * Builds the published program: one ES module bundle per entry (the CLI and the
 * structural pass's worker) in dist/, with shared code and lazily imported parts
 * (LLM providers, GitHub, e-mail) in chunks beside them. A bundle starts in a fraction
 * of the time Node takes to resolve and load ~300 separate files.
 *
 * Left outside the bundle: native and wasm packages, which find their binaries next to
 * their own files (better-sqlite3, web-tree-sitter, the grammars), and pino, whose
 * transports load files by path.
 *
 *   node scripts/build.mjs [--outdir <dir>] [--metafile <file>]
 *
 * --metafile writes esbuild's account of every output and what it imports, statically or
 * on demand (test/lazy-imports.test.ts reads it).
 */
import { rm, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const root = resolve(import.meta.dirname, "..");
const { values } = parseArgs({ options: { outdir: { type: "string", default: resolve(root, "dist") }, metafile: { type: "string" } } });
const outdir = resolve(values.outdir);

/**
 * zod as the libraries import it (the AI SDK: `import { z } from "zod/v4"`) stays outside the
 * bundle, loaded from node_modules with the lazily imported model stack. Tree shaking is one
 * for the whole build: one library that takes zod's `z` namespace whole keeps all of zod (750
 * KB, every locale) in the chunk every start loads; this program's own `import * as z` keeps
 * what it uses (about 200 KB). The two copies agree on schemas (zod v4 reads them structurally and
 * keeps one registry of descriptions on globalThis); test/bundle.test.ts asks a model through
 * the bundle to check it.
 */
const zodOfLibrariesOutside = {
  name: "zod-of-libraries-outside",
  setup(build) {
    build.onResolve({ filter: /^zod(\/.*)?$/ }, (args) => (/[\\/]node_modules[\\/]/.test(args.importer) ? { path: args.path, external: true } : undefined));
  },
};

await rm(outdir, { recursive: true, force: true });
const result = await build({
  plugins: [zodOfLibrariesOutside],
  absWorkingDir: root,
  entryPoints: { main: "src/cli/main.ts", "structure-worker": "src/facts/structure/structure-worker.ts", "search-worker": "src/serve/search-worker.ts" },
  outdir,
  bundle: true,
  splitting: true,
  // Chunks beside the entries: code that finds a file next to itself (the worker) works from any of them.
  chunkNames: "[name]-[hash]",
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  packages: "bundle",
  external: ["better-sqlite3", "web-tree-sitter", "tree-sitter-*", "pino", "pino-pretty"],
  // Bundled CommonJS packages call require() for Node's built-ins and read __filename.
  banner: {
    js: [
      'import { createRequire as __createRequire } from "node:module";',
      'import { fileURLToPath as __fileURLToPath } from "node:url"; import { dirname as __dirnameOf } from "node:path";',
      "const require = __createRequire(import.meta.url);",
      "const __filename = __fileURLToPath(import.meta.url);",
      'const __dirname = __dirnameOf(__filename);',
    ].join(" "),
  },
  logLevel: "warning",
  metafile: true,
});
if (result.errors.length > 0) process.exit(1);
if (values.metafile) await writeFile(resolve(values.metafile), JSON.stringify(result.metafile));
