/**
 * The module (package, crate, component) a path belongs to, for "what does this
 * commit touch". We only see the files of one commit, not the whole tree, so the
 * manifests we know of are those the commit itself touches. The rule, first match wins:
 *
 * 1. the folder of the nearest manifest among `manifestDirs` that contains the path
 *    (the root folder "." is skipped: a root `pyproject.toml` in the commit would
 *    otherwise swallow every path and say nothing);
 * 2. under a conventional root of several modules (`lib/`, `packages/`, `crates/`,
 *    `components/`, `src/`, ...), the first two segments: `lib/runtime/src/x.rs` →
 *    `lib/runtime`, when the path goes deeper than a file directly in that folder;
 * 3. the top-level folder: `docs/guide/x.md` → `docs`;
 * 4. "." for a file at the root.
 */

const MULTI_MODULE_ROOTS: ReadonlySet<string> = new Set([
  "lib",
  "libs",
  "components",
  "packages",
  "crates",
  "src",
  "apps",
  "modules",
  "services",
  "plugins",
  "extensions",
  "cmd",
  "pkg",
  "internal",
]);

export function findModule(path: string, manifestDirs: readonly string[]): string {
  const normalized = normalizeDir(path);
  const manifestDir = findNearestManifestDir(normalized, manifestDirs);
  if (manifestDir !== undefined) return manifestDir;

  const segments = normalized.split("/");
  const [top, second] = segments;
  if (segments.length < 2 || top === undefined) return ".";
  if (segments.length >= 3 && second !== undefined && MULTI_MODULE_ROOTS.has(top)) return `${top}/${second}`;
  return top;
}

function findNearestManifestDir(path: string, manifestDirs: readonly string[]): string | undefined {
  let nearest: string | undefined;
  for (const raw of manifestDirs) {
    const dir = normalizeDir(raw);
    if (dir === "" || dir === ".") continue;
    if (!path.startsWith(`${dir}/`)) continue;
    if (nearest === undefined || dir.length > nearest.length) nearest = dir;
  }
  return nearest;
}

function normalizeDir(path: string): string {
  return path.replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/^\/+/, "").replace(/\/+$/, "");
}
