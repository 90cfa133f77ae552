/**
 * What a dependency is for, from where it is declared: the folder of the manifest (a docs
 * site's or a test suite's package.json is no part of what users install), the name of a
 * Python extra or dependency group, the name of a requirements file. Shared by the
 * whole-file manifest reader and the patch fallback so that both say the same.
 */
import type { DependencyScope } from "../types.js";

/** Folders whose manifests serve the docs site: every dependency in them is `docs`. */
const DOCS_FOLDERS = new Set(["docs", "doc", "documentation", "website", "site", "fern"]);
/** Folders whose manifests serve tests, examples and benchmarks: every dependency in them is `dev`. */
const DEV_FOLDERS = new Set([
  "examples",
  "example",
  "samples",
  "sample",
  "demo",
  "demos",
  "benchmarks",
  "benchmark",
  "bench",
  "benches",
  "test",
  "tests",
  "e2e",
  "__tests__",
  "fixtures",
  "testdata",
  "test_data",
]);

/**
 * `docs` or `dev` when a folder of the path (the outermost that says) is a docs site or a
 * test, example or benchmark tree; undefined for a manifest of the product.
 */
export function manifestFolderScope(path: string): "docs" | "dev" | undefined {
  const dirs = path.replace(/\\/g, "/").replace(/^(\.\/)+/, "").split("/").slice(0, -1);
  for (const dir of dirs) {
    const lower = dir.toLowerCase();
    if (DOCS_FOLDERS.has(lower)) return "docs";
    if (DEV_FOLDERS.has(lower)) return "dev";
  }
  return undefined;
}

/** Words that, as a part of a group or file name, say it is for developers. */
const DEV_WORDS = new Set([
  "dev",
  "devel",
  "develop",
  "development",
  "test",
  "tests",
  "testing",
  "lint",
  "linting",
  "linter",
  "docs",
  "doc",
  "documentation",
  "typing",
  "types",
  "mypy",
  "bench",
  "benchmark",
  "benchmarks",
  "ci",
  "coverage",
  "style",
]);

function saysDev(name: string): boolean {
  return name
    .toLowerCase()
    .split(/[-_.\s]+/)
    .some((word) => DEV_WORDS.has(word));
}

/** An extra of `[project.optional-dependencies]`: `dev`, `test`, `lint-all`... are the developers'; others are optional features. */
export function pythonExtraScope(group: string): DependencyScope {
  return saysDev(group) ? "dev" : "optional";
}

/** `requirements-dev.txt`, `requirements/test.txt`, `requirements.docs.txt`: dev; `requirements.txt`: runtime. */
export function requirementsFileScope(path: string): DependencyScope {
  const name = path.slice(path.lastIndexOf("/") + 1).replace(/\.(txt|in)$/i, "");
  return saysDev(name) ? "dev" : "runtime";
}

/** npm specs that point into the project itself: `workspace:^`, `file:../core`, `link:../core`, `portal:../core`. */
export function isLocalNpmSpec(spec: string): boolean {
  return /^(workspace|file|link|portal):/.test(spec.trim());
}

/** `requirements*.txt`, `constraints*.txt` (or `.in`), and any `.txt` under a `requirements/` folder. */
export function isRequirementsPath(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  return /^(requirements|constraints)[\w.-]*\.(txt|in)$/.test(name) || /(^|\/)requirements\/[^/]+\.(txt|in)$/.test(path);
}
