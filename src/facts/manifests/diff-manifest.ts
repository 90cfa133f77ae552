/**
 * Dependency and version changes read from the two whole versions of a manifest, not from
 * its patch: every entry is seen with its table, however far the header is from the hunk,
 * multi-line tables (`[dependencies.tokio]`) read as one entry, and each entry is told by
 * what it is for (runtime, dev, build, optional, peer, docs) and whether it is one of the
 * project's own packages, whose pin moves with each release and is no third-party bump.
 *
 * undefined means "not read here": not a manifest this module knows, or one side does not
 * parse; the caller then falls back to the patch reader.
 */
import { compareSpecs } from "../dependencies.js";
import { baseName } from "../patch-scan.js";
import type { DependencyChange, DependencyEcosystem, DependencyScope, VersionChange } from "../types.js";
import { readCargoToml } from "./cargo.js";
import { readGoMod } from "./go-mod.js";
import type { ManifestEntry, ManifestReader, ManifestVersion, ReadManifest } from "./model.js";
import { normalisePypiName } from "./model.js";
import { readPackageJson } from "./npm.js";
import { readPyproject } from "./pyproject.js";
import { readRequirements } from "./requirements.js";
import { isRequirementsPath, manifestFolderScope } from "./scope.js";
import { readToolchainFile, toolchainFileOf } from "./toolchain.js";

export interface ManifestContext {
  /** Package names defined by the commit's manifests (each diff's `ownPackages`, collected by the caller). */
  ownPackages: ReadonlySet<string>;
}

export interface ManifestDiff {
  dependencies: DependencyChange[];
  versions: VersionChange[];
  /** Package names this manifest defines, on either side (npm `name`, Cargo `[package] name`, pyproject name, go.mod `module`). */
  ownPackages: string[];
}

function readerFor(path: string): ManifestReader | undefined {
  const name = baseName(path);
  if (name === "package.json") return readPackageJson;
  if (name === "Cargo.toml") return readCargoToml;
  if (name === "pyproject.toml") return readPyproject;
  if (name === "go.mod") return readGoMod;
  if (isRequirementsPath(path)) return readRequirements;
  const toolchain = toolchainFileOf(name);
  if (toolchain) return (text) => readToolchainFile(text, toolchain);
  return undefined;
}

/** A manifest or toolchain file that `diffManifest` reads whole. Dockerfiles are left to the patch reader. */
export function isManifestPath(path: string): boolean {
  return readerFor(path) !== undefined;
}

export function diffManifest(
  path: string,
  before: string | undefined,
  after: string | undefined,
  context: ManifestContext,
): ManifestDiff | undefined {
  const read = readerFor(path);
  if (!read) return undefined;
  const old = before === undefined ? undefined : read(before, path);
  const now = after === undefined ? undefined : read(after, path);
  if ((before !== undefined && !old) || (after !== undefined && !now)) return undefined;

  const folder = manifestFolderScope(path);
  const defined = unique([...(old?.ownPackages ?? []), ...(now?.ownPackages ?? [])]);
  const ecosystem = now?.ecosystem ?? old?.ecosystem;
  const own = ownMatcher(ecosystem, [...context.ownPackages, ...defined]);
  const lockstep = projectVersionMove(old, now, defined);

  let dependencies =
    ecosystem === undefined ? [] : diffEntries(old?.entries ?? [], now?.entries ?? [], ecosystem, path, own, lockstep);
  let versions = diffVersions(old?.versions ?? [], now?.versions ?? [], path);
  if (folder) {
    // A docs site's or a test suite's manifest: nothing in it reaches users, and its
    // version or Node requirement is no release and no requirement of the product.
    dependencies = dependencies.map((d) => ({ ...d, scope: folder }));
    versions = [];
  }
  if ((now ?? old)?.unpublished) versions = versions.filter((v) => v.kind !== "project-version");
  // Names of test fixtures and examples could shadow real packages: only the product's count.
  return { dependencies, versions, ownPackages: folder === "dev" ? [] : defined };
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

/** Names compared as each registry does: PyPI by PEP 503, crates.io with `-` and `_` alike. */
function ownMatcher(ecosystem: DependencyEcosystem | undefined, names: readonly string[]): (name: string) => boolean {
  const normalise =
    ecosystem === "pypi"
      ? normalisePypiName
      : ecosystem === "cargo"
        ? (n: string) => n.toLowerCase().replace(/_/g, "-")
        : (n: string) => n;
  const set = new Set(names.map(normalise));
  return (name) => set.has(normalise(name));
}

interface Lockstep {
  from: string;
  to: string;
  /** Names of this manifest's packages: a sibling starts with one (`git-cliff-darwin-arm64`) or shares its npm scope. */
  names: readonly string[];
}

/** The manifest's own version, before and after, when it moved. */
function projectVersionMove(old: ReadManifest | undefined, now: ReadManifest | undefined, names: readonly string[]): Lockstep | undefined {
  const from = old?.versions.find((v) => v.kind === "project-version")?.value;
  const to = now?.versions.find((v) => v.kind === "project-version")?.value;
  return from !== undefined && to !== undefined && from !== to && names.length > 0 ? { from, to, names } : undefined;
}

/**
 * A pin that moves from the manifest's old version to its new one, of a package named
 * like it: a sibling released with it (git-cliff's `git-cliff-linux-x64` binaries,
 * `@babel/types` in `@babel/core`). Both must hold: versions alone can meet by chance.
 */
function movesInStep(name: string, from: string, to: string, lockstep: Lockstep | undefined): boolean {
  if (!lockstep || bareVersion(from) !== lockstep.from || bareVersion(to) !== lockstep.to) return false;
  const lower = name.toLowerCase();
  return lockstep.names.some((own) => {
    const ownLower = own.toLowerCase();
    const scope = /^(@[^/]+)\//.exec(ownLower)?.[1];
    return lower.startsWith(`${ownLower}-`) || lower.startsWith(`${ownLower}_`) || (scope !== undefined && lower.startsWith(`${scope}/`));
  });
}

/** `^2.10.0`, `=2.10.0`, `v2.10.0` → 2.10.0. */
function bareVersion(spec: string): string {
  return spec.trim().replace(/^[=^~v\s]+/, "");
}

const SCOPE_RANK: Record<DependencyScope, number> = { runtime: 0, peer: 1, optional: 2, build: 3, dev: 4, docs: 5 };

function diffEntries(
  before: readonly ManifestEntry[],
  after: readonly ManifestEntry[],
  ecosystem: DependencyEcosystem,
  file: string,
  own: (name: string) => boolean,
  lockstep: Lockstep | undefined,
): DependencyChange[] {
  const group = (entries: readonly ManifestEntry[]): Map<string, ManifestEntry[]> => {
    const map = new Map<string, ManifestEntry[]>();
    for (const e of entries) {
      const id = `${e.section}\u0000${e.key}`;
      const list = map.get(id) ?? [];
      list.push(e);
      map.set(id, list);
    }
    return map;
  };
  const oldGroups = group(before);
  const newGroups = group(after);
  const pairs: Array<[ManifestEntry, ManifestEntry]> = [];
  const removed: ManifestEntry[] = [];
  const added: ManifestEntry[] = [];
  for (const id of new Set([...oldGroups.keys(), ...newGroups.keys()])) {
    const olds = oldGroups.get(id) ?? [];
    const news = newGroups.get(id) ?? [];
    for (let i = 0; i < Math.max(olds.length, news.length); i++) {
      const b = olds[i];
      const a = news[i];
      if (b && a) pairs.push([b, a]);
      else if (b) removed.push(b);
      else if (a) added.push(a);
    }
  }
  // An entry that left one table and arrived in another has moved: a change only if its spec changed too.
  const addedByKey = new Map<string, ManifestEntry[]>();
  for (const a of added) addedByKey.set(a.key, [...(addedByKey.get(a.key) ?? []), a]);
  const movedIn = new Set<ManifestEntry>();
  const gone: ManifestEntry[] = [];
  for (const b of removed) {
    const a = addedByKey.get(b.key)?.shift();
    if (a) {
      pairs.push([b, a]);
      movedIn.add(a);
    } else gone.push(b);
  }

  const changes: DependencyChange[] = [];
  const isInternal = (...entries: ManifestEntry[]): boolean => entries.some((e) => e.internal || own(e.name));
  const origin = (e: ManifestEntry): DependencyChange["origin"] => (e.line === undefined ? { file } : { file, line: e.line });
  for (const [b, a] of pairs) {
    // A version kept in the workspace's table: the entry says nothing of it.
    if (b.spec === a.spec || b.inherited || a.inherited) continue;
    // A path or a git rev has no order: digits in a commit hash are no version.
    const { change, major } = b.source || a.source ? { change: "changed" as const, major: false } : compareSpecs(b.spec, a.spec, ecosystem);
    const internal = isInternal(b, a) || movesInStep(a.name, b.spec, a.spec, lockstep);
    changes.push({ ecosystem, name: a.name, scope: a.scope, internal, from: b.spec, to: a.spec, change, major, origin: origin(a) });
  }
  for (const a of added) {
    if (movedIn.has(a)) continue;
    changes.push({ ecosystem, name: a.name, scope: a.scope, internal: isInternal(a), to: a.spec, change: "added", major: false, origin: origin(a) });
  }
  for (const b of gone) {
    changes.push({ ecosystem, name: b.name, scope: b.scope, internal: isInternal(b), from: b.spec, change: "removed", major: false, origin: origin(b) });
  }
  return dedupe(changes).sort((x, y) => (x.origin.line ?? Infinity) - (y.origin.line ?? Infinity));
}

/** The same move listed in several tables (an extra and `all`, two targets) is told once, under the scope that reaches users most. */
function dedupe(changes: readonly DependencyChange[]): DependencyChange[] {
  const byId = new Map<string, DependencyChange>();
  for (const c of changes) {
    const id = [c.name, c.from ?? "", c.to ?? "", c.change].join("\u0000");
    const kept = byId.get(id);
    if (!kept) byId.set(id, c);
    else if (SCOPE_RANK[c.scope] < SCOPE_RANK[kept.scope]) byId.set(id, { ...c, internal: c.internal || kept.internal });
    else if (c.internal && !kept.internal) byId.set(id, { ...kept, internal: true });
  }
  return [...byId.values()];
}

function diffVersions(before: readonly ManifestVersion[], after: readonly ManifestVersion[], file: string): VersionChange[] {
  const group = (list: readonly ManifestVersion[]): Map<string, ManifestVersion[]> => {
    const map = new Map<string, ManifestVersion[]>();
    for (const v of list) {
      const id = `${v.kind}\u0000${v.name}`;
      map.set(id, [...(map.get(id) ?? []), v]);
    }
    return map;
  };
  const olds = group(before);
  const news = group(after);
  const out: VersionChange[] = [];
  const seen = new Set<string>();
  for (const id of new Set([...olds.keys(), ...news.keys()])) {
    const b = olds.get(id) ?? [];
    const a = news.get(id) ?? [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const from = b[i];
      const to = a[i];
      if (from?.value === to?.value) continue;
      const at = to ?? from!;
      const once = [at.kind, at.name, from?.value ?? "", to?.value ?? ""].join("\u0000");
      if (seen.has(once)) continue;
      seen.add(once);
      const change: VersionChange = { kind: at.kind, name: at.name, origin: at.line === undefined ? { file } : { file, line: at.line } };
      if (from) change.from = from.value;
      if (to) change.to = to.value;
      out.push(change);
    }
  }
  return out.sort((x, y) => (x.origin.line ?? Infinity) - (y.origin.line ?? Infinity));
}
