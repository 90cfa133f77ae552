/**
 * Test support lives under test/support/, not in src/: a fixture beside the code adds arrows
 * between stage folders and has to be kept out of the package by a glob. A file under src/
 * that no production entry point reaches, but a test imports, is test support in the wrong
 * place.
 *
 * The graph is read with a regex over relative specifiers (static `import`/`export … from`,
 * side-effect `import "…"`, literal `import("…")`), not with a compiler: quick, and enough for
 * a codebase that writes every import with a literal `./x.js` path (NodeNext).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..", "..");

/**
 * Files under src/ that are not the program but are not test support either. Each one says
 * why; an exemption that stops applying is reported too, so the list does not outlive it.
 */
const EXEMPT = new Map([
  // The JSON report's documented contract for consumers (docs/report-schema.md links to it);
  // the program writes the report without parsing it back.
  ["src/report/json/report-schema.ts", "public schema of the JSON report"],
]);

/** Relative specifiers of imports and re-exports, static or dynamic with a literal path. */
const SPECIFIER = /(?:\bfrom|\bimport)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;

function listTs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => /\.m?ts$/.test(name) && !name.split(sep).includes("node_modules"))
    .map((name) => join(dir, name));
}

/** The .ts files `file` imports by relative path (`./x.js` is written for `./x.ts`). */
function importsOf(file: string): string[] {
  const found: string[] = [];
  for (const match of readFileSync(file, "utf8").matchAll(SPECIFIER)) {
    const target = resolve(dirname(file), match[1]!);
    const candidate = [target.replace(/\.js$/, ".ts"), target.replace(/\.mjs$/, ".mts"), target].find(
      (path) => /\.m?ts$/.test(path) && existsSync(path),
    );
    if (candidate) found.push(candidate);
  }
  return found;
}

/** The bundle's entry points, as scripts/build.mjs lists them: the CLI and its workers. */
function entryPointsOf(root: string): string[] {
  const script = readFileSync(join(root, "scripts", "build.mjs"), "utf8");
  const block = /entryPoints:\s*\{([^}]*)\}/.exec(script);
  if (!block) throw new Error("scripts/build.mjs: no `entryPoints: { … }` to read the entry points from");
  return [...block[1]!.matchAll(/["']([^"']+\.ts)["']/g)].map((match) => join(root, match[1]!));
}

/** One line per non-test file under src/ that only tests reach. */
function findTestSupportInSrc(root: string, exempt: ReadonlyMap<string, string> = new Map()): string[] {
  const src = join(root, "src");
  const files = [...listTs(src), ...listTs(join(root, "test"))];
  const graph = new Map(files.map((file) => [file, importsOf(file)]));
  const reach = (roots: string[]): Set<string> => {
    const seen = new Set<string>();
    const pending = [...roots];
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      pending.push(...(graph.get(file) ?? []));
    }
    return seen;
  };
  const isTest = (file: string): boolean => file.endsWith(".test.ts") || !file.startsWith(src + sep);
  const production = reach(entryPointsOf(root));
  const testOnly = reach(files.filter(isTest));
  const problems: string[] = [];
  for (const file of files) {
    if (isTest(file) || production.has(file) || !testOnly.has(file)) continue;
    const name = relative(root, file).split(sep).join("/");
    if (exempt.has(name)) continue;
    const importers = files.filter((other) => graph.get(other)!.includes(file)).map((other) => relative(root, other).split(sep).join("/"));
    const target = name.replace(/^src\//, "test/support/").replace(/\/test-([^/]+)$/, "/$1");
    problems.push(`${name} is imported only by tests (${importers.join(", ")}): move it to ${target}`);
  }
  for (const name of exempt.keys()) {
    const file = join(root, ...name.split("/"));
    if (!existsSync(file) || production.has(file)) problems.push(`${name} is exempt as test-reachable only, but is not any more: remove it from EXEMPT`);
  }
  return problems.sort();
}

describe("test support outside src/", () => {
  it("has no file under src/ that only tests import", () => {
    expect(findTestSupportInSrc(ROOT, EXEMPT)).toEqual([]);
  });

  it("reports a test-only module, and not one the program also reaches", () => {
    const root = mkdtempSync(join(tmpdir(), "test-support-"));
    try {
      const write = (path: string, text: string): void => {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      };
      write("scripts/build.mjs", 'await build({ entryPoints: { main: "src/cli/main.ts", worker: "src/work/worker.ts" } });\n');
      write("src/cli/main.ts", 'import { run } from "../run.js";\nawait import("../lazy.js");\nrun();\n');
      write("src/run.ts", "export const run = (): void => {};\n");
      write("src/lazy.ts", "export {};\n");
      write("src/work/worker.ts", 'import "./shared.js";\n');
      write("src/work/shared.ts", "export {};\n");
      write("src/run.test.ts", 'import { run } from "./run.js";\nimport { make } from "./test-fixtures.js";\nimport "./lazy.js";\nimport "./work/shared.js";\nrun(); make();\n');
      write("src/test-fixtures.ts", 'import { deeper } from "./deeper.js";\nexport const make = deeper;\n');
      write("src/deeper.ts", "export const deeper = (): void => {};\n");
      write("src/unused.ts", "export {};\n");
      write("test/cli.test.ts", 'import "../src/helper.js";\n');
      write("src/helper.ts", "export {};\n");

      expect(findTestSupportInSrc(root)).toEqual([
        "src/deeper.ts is imported only by tests (src/test-fixtures.ts): move it to test/support/deeper.ts",
        "src/helper.ts is imported only by tests (test/cli.test.ts): move it to test/support/helper.ts",
        "src/test-fixtures.ts is imported only by tests (src/run.test.ts): move it to test/support/fixtures.ts",
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
