/**
 * What every start of the program loads, read from esbuild's metafile of the real build: the
 * entry alone for `--version`, and for any command the command tree without the libraries of
 * optional parts (GitHub, e-mail, the model stack, the feed's lock, the spinner), which load
 * on demand (bench/startup.bench.ts measures what this saves).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");

interface Metafile {
  outputs: Record<string, { entryPoint?: string; imports: Array<{ path: string; kind: string; external?: boolean }>; inputs: Record<string, unknown> }>;
}

let out: string;
let meta: Metafile;

beforeAll(() => {
  out = mkdtempSync(join(ROOT, "test-artifacts", "lazy-imports-"));
  execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs"), "--outdir", join(out, "dist"), "--metafile", join(out, "meta.json")], { stdio: "pipe" });
  meta = JSON.parse(readFileSync(join(out, "meta.json"), "utf8")) as Metafile;
}, 120_000);

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
});

/** The outputs loaded with `entry` (its static imports, transitively), and the packages they hold or import. */
function loadedWith(entry: string): { files: string[]; sources: string[]; packages: string[] } {
  const start = Object.keys(meta.outputs).find((file) => meta.outputs[file]!.entryPoint === entry);
  if (!start) throw new Error(`no output for ${entry}`);
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const imported of meta.outputs[file]!.imports) {
      if (imported.kind !== "import-statement") continue;
      if (imported.external) packages.add(imported.path);
      else visit(imported.path);
    }
  };
  visit(start);
  const sources = [...files].flatMap((file) => Object.keys(meta.outputs[file]!.inputs));
  for (const source of sources) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source);
    if (match) packages.add(match[1]!);
  }
  return { files: [...files], sources, packages: [...packages].sort() };
}

describe("what a start of the program loads", () => {
  it("`--version`: the entry and the version reader, no library", () => {
    const loaded = loadedWith("src/cli/main.ts");
    expect(loaded.packages).toEqual([]);
    expect(loaded.sources.filter((source) => !source.startsWith("src/cli/main.ts"))).toEqual([]);
  });

  it("a command: the command tree without GitHub's client, e-mail, the model stack, the feed's lock or the spinner", () => {
    const { packages } = loadedWith("src/cli/program.ts");
    const optional = /^(@octokit\/.*|bottleneck|nodemailer|ai|@ai-sdk\/.*|js-tiktoken|opencc-js|proper-lockfile|graceful-fs|ora)$/;
    expect(packages.filter((name) => optional.test(name))).toEqual([]);
    // The command tree itself is there (a sanity check of the walk).
    expect(packages).toEqual(expect.arrayContaining(["commander", "better-sqlite3"]));
  });

  it("a command: zod as this program uses it, not whole (a library taking its `z` whole kept 750 KB, every locale)", () => {
    const { sources } = loadedWith("src/cli/program.ts");
    const zod = sources.filter((source) => source.includes("node_modules/zod/"));
    expect(zod.length).toBeGreaterThan(0);
    expect(zod.filter((source) => /\/locales\/(?!en\.js)/.test(source))).toEqual([]);
    expect(zod.filter((source) => /\/v3\//.test(source))).toEqual([]);
  });
});
