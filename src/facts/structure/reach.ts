/**
 * Whether a file's public definitions can be used from outside the project: a symbol is
 * public API only when the language says public (the adapter's `visibility`) AND the file
 * is reachable (this module). The rules, per language:
 *
 * - Go: `package main` is a program, and a path under an `internal/` folder is importable
 *   only inside its module (https://go.dev/ref/spec, https://go.dev/doc/go1.4#internalpackages).
 * - Rust: `src/main.rs`, `src/bin/`, `build.rs` and `examples/` are programs, not a library.
 * - Python: a program's entry module (`__main__.py`, `main.py`) has no importers; a module
 *   whose name starts with `_` is private unless its package's `__init__.py` re-exports it
 *   (nixl's `_api.py` is, through `from ._api import *`), which the caller reads.
 * - C/C++: only headers declare an API, and only headers under an `include/`, `api/` or
 *   `public/` folder (or at the repository root) are public; the rest are the project's
 *   own internal headers. Definitions in `.c`/`.cpp` files implement what headers declare.
 * - TypeScript/JavaScript: `export` decides; a path under `internal/` or `private/` is not
 *   a package entry point, and nothing is in a package no one can import: one whose nearest
 *   package.json names no entry point (`main`, `module`, `exports`, `types`, `browser`) and
 *   is a program (`bin`) or is never published (`private`). A CLI's modules export to each
 *   other, not to its users (https://nodejs.org/api/packages.html#package-entry-points).
 */
import type { FileStructure, StructureLanguage } from "./types.js";

export type Reach = "public" | "internal";

const C_HEADER = /\.(h|hh|hpp|hxx|cuh|inl|ipp)$/i;
const PUBLIC_HEADER_DIR = /(^|\/)(include|api|public)\//;

export interface ReachInput {
  path: string;
  language: StructureLanguage;
  structure: FileStructure;
  /**
   * For a Python module whose name starts with `_`: the names its package's `__init__.py`
   * re-exports from it ("*" for a star import); undefined when there is no such file.
   */
  reexported?: ReadonlySet<string>;
  /**
   * For TypeScript/JavaScript: whether the nearest package.json (at the same revision) lets
   * users import the package ({@link isImportablePackage}); undefined when there is none or it
   * could not be read, and then `export` alone decides.
   */
  importablePackage?: boolean;
}

/** Fields of package.json through which a package is imported. */
const ENTRY_FIELDS = ["main", "module", "exports", "types", "typings", "browser"] as const;

/**
 * Whether users can import the package this package.json describes: it names an entry point,
 * or it is published and no program (Node then resolves `index.js`). A package.json that is
 * not JSON or not an object says nothing (true: `export` decides, as without one).
 */
export function isImportablePackage(text: string): boolean {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return true;
  }
  if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) return true;
  const fields = manifest as Record<string, unknown>;
  if (ENTRY_FIELDS.some((field) => fields[field] !== undefined)) return true;
  return !(fields.private === true || fields.bin !== undefined);
}

/** "public" when the file's public definitions are part of what users import. */
export function decideReach(input: ReachInput): Reach {
  const { path, language, structure } = input;
  const segments = path.split("/");
  const name = segments[segments.length - 1]!;
  const dirs = segments.slice(0, -1);
  switch (language) {
    case "go":
      return structure.packageName === "main" || dirs.includes("internal") ? "internal" : "public";
    case "rust":
      return name === "main.rs" || name === "build.rs" || dirs.includes("bin") ? "internal" : "public";
    case "python":
      if (name === "__main__.py" || name === "main.py" || name === "setup.py" || name === "conftest.py") return "internal";
      if (dirs.some((dir) => dir.startsWith("_") && !/^__\w+__$/.test(dir))) return "internal";
      // A private module is public when its package re-exports it, or when it lives in a folder
      // named for the API (nixl's `src/api/python/_api.py`, which users import as `nixl._api`).
      if (name.startsWith("_") && name !== "__init__.py") return (input.reexported && input.reexported.size > 0) || dirs.includes("api") ? "public" : "internal";
      return "public";
    case "c":
    case "cpp":
      if (!C_HEADER.test(name)) return "internal";
      return dirs.length === 0 || PUBLIC_HEADER_DIR.test(path) ? "public" : "internal";
    case "typescript":
    case "tsx":
    case "javascript":
      if (input.importablePackage === false) return "internal";
      return dirs.includes("internal") || dirs.includes("private") ? "internal" : "public";
  }
}

/**
 * Names a package's `__init__.py` takes from the sibling module `moduleName` (without
 * `.py`): "*" for `from .m import *`, else each name of `from .m import a, b as c`.
 * Read with a pattern, not a parse: the file is usually a handful of import lines, and
 * only these two statement shapes matter here.
 */
export function readReexports(initSource: string, moduleName: string): Set<string> {
  const names = new Set<string>();
  const escaped = moduleName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const statement = new RegExp(String.raw`^[ \t]*from[ \t]+\.${escaped}[ \t]+import[ \t]+(\([^)]*\)|[^\n#]+)`, "gm");
  for (const match of initSource.matchAll(statement)) {
    const list = match[1]!.replace(/[()\\]/g, " ");
    for (const part of list.split(",")) {
      const imported = part.trim().split(/\s+as\s+/)[0]!.trim();
      if (imported) names.add(imported);
    }
  }
  return names;
}
