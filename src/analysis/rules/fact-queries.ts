/**
 * Questions the rules ask of a commit's facts, answered once here so that scoring and
 * the narrative count the same things. Files matched by the repository's ignore
 * patterns are left out everywhere: they are counted in the totals, never analysed.
 */
import type {
  CommitFacts,
  DependencyChange,
  FileFacts,
  FileKind,
  Signal,
  SignalKind,
  SurfaceChange,
  SymbolChange,
  TestChange,
  VersionChange,
} from "../../facts/types.js";

export const SECURITY_SIGNAL_KINDS: readonly SignalKind[] = [
  "process-exec",
  "eval",
  "unsafe",
  "auth",
  "crypto",
  "secret",
  "network-listen",
  "permission",
];
export const RUNTIME_LIMIT_SIGNAL_KINDS: readonly SignalKind[] = ["timeout", "limit"];

export function listAnalysedFiles(facts: CommitFacts): FileFacts[] {
  return facts.files.filter((file) => !file.ignored);
}

/** True when there is at least one analysed file and every one is of these kinds. */
export function hasOnlyKinds(facts: CommitFacts, kinds: readonly FileKind[]): boolean {
  const files = listAnalysedFiles(facts);
  return files.length > 0 && files.every((file) => kinds.includes(file.kind));
}

export function hasAnyKind(facts: CommitFacts, kinds: readonly FileKind[]): boolean {
  return listAnalysedFiles(facts).some((file) => kinds.includes(file.kind));
}

export interface LineCount {
  files: number;
  additions: number;
  deletions: number;
  lines: number;
}

export function countLines(files: readonly FileFacts[]): LineCount {
  let additions = 0;
  let deletions = 0;
  for (const file of files) {
    additions += file.additions;
    deletions += file.deletions;
  }
  return { files: files.length, additions, deletions, lines: additions + deletions };
}

export function countKindLines(facts: CommitFacts, kind: FileKind): LineCount {
  return countLines(listAnalysedFiles(facts).filter((file) => file.kind === kind));
}

export interface PublicApiChanges {
  added: SymbolChange[];
  removed: SymbolChange[];
  /** Code changed under an unchanged signature: what the commit touches, no change to the API's shape. */
  modified: SymbolChange[];
  /** Same code under a new name: callers of the old name break. */
  renamed: SymbolChange[];
  /** Signature changed; `breaking` ones may break callers. */
  signature: SymbolChange[];
  /** Removed in one place and added under the same name and kind in another: a move, not a removal. */
  moved: Array<{ name: string; kind: SymbolChange["kind"]; from: string; to: string }>;
}

/**
 * Public API of product code, by change, one entry per name and kind. Changes read from
 * both parsed versions are taken as they are; those read from the patch alone count a
 * name removed in one file and added in another as moved.
 */
export function classifyPublicApi(facts: CommitFacts): PublicApiChanges {
  const exported = facts.symbols.filter((symbol) => symbol.exported);
  const of = (change: SymbolChange["change"]) => uniqueSymbols(exported.filter((symbol) => symbol.change === change));
  const added = of("added");
  const removed = of("removed");
  const moved: PublicApiChanges["moved"] = of("moved")
    .filter((symbol) => symbol.from !== undefined && symbol.from.file !== symbol.origin.file)
    .map((symbol) => ({ name: symbol.name, kind: symbol.kind, from: symbol.from!.file, to: symbol.origin.file }));
  // From the patch alone a move shows as a removal here and an addition there.
  const addedByKey = new Map(added.filter((symbol) => symbol.basis === "patch").map((symbol) => [symbolKey(symbol), symbol]));
  for (const symbol of removed) {
    const target = symbol.basis === "patch" ? addedByKey.get(symbolKey(symbol)) : undefined;
    if (target) moved.push({ name: symbol.name, kind: symbol.kind, from: symbol.origin.file, to: target.origin.file });
  }
  const movedKeys = new Set(moved.map((symbol) => `${symbol.kind}:${symbol.name}`));
  const notMoved = (symbol: SymbolChange) => !(symbol.basis === "patch" && movedKeys.has(symbolKey(symbol)));
  return {
    added: added.filter(notMoved),
    removed: removed.filter(notMoved),
    modified: of("modified"),
    renamed: of("renamed"),
    signature: of("signature"),
    moved,
  };
}

/** Removals, renames and breaking signature changes: what stops callers' code from working. */
export function listApiBreaks(api: PublicApiChanges): SymbolChange[] {
  return [...api.removed, ...api.renamed, ...api.signature.filter((symbol) => symbol.signature?.breaking)];
}

function symbolKey(symbol: SymbolChange): string {
  return `${symbol.kind}:${symbol.name}`;
}

function uniqueSymbols(symbols: readonly SymbolChange[]): SymbolChange[] {
  const seen = new Map<string, SymbolChange>();
  for (const symbol of symbols) if (!seen.has(symbolKey(symbol))) seen.set(symbolKey(symbol), symbol);
  return [...seen.values()];
}

export function listSurface(facts: CommitFacts, change: SurfaceChange["change"]): SurfaceChange[] {
  const seen = new Set<string>();
  return facts.surface.filter((entry) => {
    const key = `${entry.kind}:${entry.name}`;
    if (entry.change !== change || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One entry per ecosystem and name: the same bump written in a manifest and a lockfile is one change. */
export function listDependencies(facts: CommitFacts): DependencyChange[] {
  const byKey = new Map<string, DependencyChange>();
  for (const dependency of facts.dependencies) {
    const key = `${dependency.ecosystem}:${dependency.name}`;
    const known = byKey.get(key);
    // Prefer the manifest's entry over the lockfile's: it is what the author wrote.
    if (!known || (isLockfileOrigin(facts, known) && !isLockfileOrigin(facts, dependency))) byKey.set(key, dependency);
  }
  return [...byKey.values()];
}

export function listMajorDependencies(facts: CommitFacts): DependencyChange[] {
  return listDependencies(facts).filter((dependency) => dependency.major);
}

/** Dependencies declared in a manifest or build file (not only pinned in a lockfile). */
export function listDirectDependencies(facts: CommitFacts): DependencyChange[] {
  return listDependencies(facts).filter((dependency) => !isLockfileOrigin(facts, dependency));
}

function isLockfileOrigin(facts: CommitFacts, dependency: DependencyChange): boolean {
  return facts.files.some((file) => file.path === dependency.origin.file && file.kind === "lockfile");
}

/** Signals of one kind and change in one file, read as one point: the lines where they stand, and the first line's text. */
export interface SignalGroup extends Signal {
  origin: Signal["origin"] & { lines: number[] };
}

/**
 * The commit's signals of these kinds, one per (file, kind, change), in the order
 * first seen: three timeout constants in one file are one thing to look at, not three.
 */
export function listSignals(facts: CommitFacts, kinds: readonly SignalKind[]): SignalGroup[] {
  const groups = new Map<string, SignalGroup>();
  for (const signal of facts.signals) {
    if (!kinds.includes(signal.kind)) continue;
    const key = `${signal.origin.file}\u0000${signal.kind}\u0000${signal.change}`;
    const group = groups.get(key);
    const line = signal.origin.line;
    if (group) {
      if (line !== undefined && !group.origin.lines.includes(line)) group.origin.lines.push(line);
    } else {
      groups.set(key, { ...signal, origin: { ...signal.origin, lines: line === undefined ? [] : [line] } });
    }
  }
  return [...groups.values()];
}

export function listSignalKinds(signals: readonly Signal[]): SignalKind[] {
  return [...new Set(signals.map((signal) => signal.kind))];
}

/**
 * Words of the subject (tags, scope, description) that say the commit is about
 * security: "security", "vulnerability", a CVE or GitHub advisory id. Each once, as
 * first written, so a reason can quote them.
 * CVE ids: https://www.cve.org/ResourcesSupport/FAQs; GHSA ids: https://docs.github.com/en/code-security/security-advisories
 */
const SECURITY_WORDS = /\b(?:security|vulnerabilit(?:y|ies)|vulnerable|CVE-\d{4}-\d{4,}|CVEs?|GHSA(?:-[0-9a-z]{4}){3})\b/gi;

export function listSecurityWords(facts: CommitFacts): string[] {
  const { tags, scope, description } = facts.message;
  const text = [...tags, scope ?? "", description].join(" ");
  const words = new Map<string, string>();
  for (const match of text.matchAll(SECURITY_WORDS)) {
    const key = match[0].toLowerCase();
    if (!words.has(key)) words.set(key, match[0]);
  }
  return [...words.values()];
}

export function listTests(facts: CommitFacts, change: TestChange["change"]): TestChange[] {
  return facts.tests.filter((test) => test.change === change);
}

/** A manifest or a Python package marker added or deleted marks a package's birth or end. */
const PACKAGE_MARKER = /(^|\/)__init__\.py$/;

export function listNewModules(facts: CommitFacts): string[] {
  return listModuleChanges(facts, "added");
}

export function listRemovedModules(facts: CommitFacts): string[] {
  return listModuleChanges(facts, "removed");
}

function listModuleChanges(facts: CommitFacts, change: "added" | "removed"): string[] {
  const status = change === "added" ? "added" : "deleted";
  const names: string[] = [];
  for (const file of listAnalysedFiles(facts)) {
    if (file.status !== status) continue;
    if (file.kind === "manifest" || (file.kind === "source" && PACKAGE_MARKER.test(file.path))) {
      const folder = parentFolder(file.path);
      // A manifest at the top is the project itself (its first commit), not a module within it.
      if (folder !== "." && folder !== "") names.push(folder);
    }
  }
  for (const symbol of facts.symbols) {
    if (symbol.kind === "module" && symbol.exported && symbol.change === change) names.push(symbol.name);
  }
  return [...new Set(names)];
}

export function parentFolder(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? "." : path.slice(0, slash);
}

export interface ModuleTouch extends LineCount {
  module: string;
  paths: string[];
}

/** Analysed files grouped by module, in the order of `facts.modules` (largest first). */
export function groupFilesByModule(facts: CommitFacts): ModuleTouch[] {
  const byModule = new Map<string, FileFacts[]>();
  for (const file of listAnalysedFiles(facts)) {
    const files = byModule.get(file.module) ?? [];
    files.push(file);
    byModule.set(file.module, files);
  }
  const order = [...facts.modules, ...byModule.keys()];
  const groups: ModuleTouch[] = [];
  for (const module of new Set(order)) {
    const files = byModule.get(module);
    if (files) groups.push({ module, paths: files.map((file) => file.path), ...countLines(files) });
  }
  return groups;
}

/** Kinds whose change is the product itself: what users run or import (data shipped beside code included). */
const PRODUCT_KINDS: readonly FileKind[] = ["source", "config", "other"];

/** Analysed files of product code whose change is more than whitespace; developers' dotfiles excluded. */
export function listProductFiles(facts: CommitFacts): FileFacts[] {
  return listAnalysedFiles(facts).filter(
    (file) => PRODUCT_KINDS.includes(file.kind) && !file.formattingOnly && !(file.kind === "config" && /(^|\/)\.[^/]+$/.test(file.path)),
  );
}

/** Lines changed in product source (whitespace-only files left out). */
export function countProductSourceLines(facts: CommitFacts): number {
  return countLines(listProductFiles(facts).filter((file) => file.kind === "source")).lines;
}

/**
 * Environment variables and config keys that product code reads, by change, and the
 * variables a build script reads (users set them to build the project: `NIXL_NO_STUBS_FALLBACK=1
 * cargo build`); variables the platform or toolchain sets, and values a Dockerfile sets, left out.
 */
export function listSettings(facts: CommitFacts, change: "added" | "removed"): SurfaceChange[] {
  return listSurface(facts, change).filter(
    (entry) =>
      entry.kind !== "cli-flag" &&
      !entry.wellKnown &&
      (entry.area === "product" || (entry.area === "build" && entry.kind === "env-var")) &&
      (entry.kind !== "env-var" || entry.access === "read"),
  );
}

/** Command-line flags of the product, by change. */
export function listFlags(facts: CommitFacts, change: SurfaceChange["change"]): SurfaceChange[] {
  return listSurface(facts, change).filter((entry) => entry.kind === "cli-flag" && entry.area === "product");
}

/** Flag changes that break a command line that worked: removed, renamed, a choice removed, a default changed. */
export function listFlagBreaks(facts: CommitFacts): SurfaceChange[] {
  return [
    ...listFlags(facts, "removed"),
    ...listFlags(facts, "renamed"),
    ...listFlags(facts, "changed").filter(
      (entry) => (entry.detail?.choicesRemoved?.length ?? 0) > 0 || entry.detail?.defaultFrom !== undefined || entry.detail?.defaultTo !== undefined,
    ),
  ];
}

/** Third-party dependencies by what they serve; the project's own packages left out. */
/**
 * Third-party dependencies by what needs them: the running product (runtime, optional, peer),
 * a build from source (Cargo's `[build-dependencies]`, a `[build-system]` requirement, a
 * Dockerfile's base image: no development dependency, a user building the project needs
 * them), or only its developers (dev, docs).
 */
export function listThirdPartyDependencies(facts: CommitFacts, use: "runtime" | "build" | "dev"): DependencyChange[] {
  const useOf = (scope: DependencyChange["scope"]) => (scope === "runtime" || scope === "optional" || scope === "peer" ? "runtime" : scope === "build" ? "build" : "dev");
  return listDependencies(facts).filter((dependency) => !dependency.internal && useOf(dependency.scope) === use);
}

/** Version changes of the toolchain users need (MSRV, minimum Python, Go, Node), not the developers' pinned toolchain. */
const USER_TOOLCHAINS = new Set(["rust-version", "requires-python", "go", "engines.node"]);

export function listToolchainChanges(facts: CommitFacts): VersionChange[] {
  return facts.versions.filter((version) => version.kind === "toolchain" && USER_TOOLCHAINS.has(version.name));
}

/**
 * The version this commit releases: the one its subject announces, else the project's own
 * version raised in a commit that changes nothing else of the product (a version bump
 * inside a feature commit is not a release; a version lowered never is).
 */
export function findRelease(facts: CommitFacts): string | undefined {
  if (facts.message.releaseVersion) return facts.message.releaseVersion;
  const raised = facts.versions.find((version) => version.kind === "project-version" && version.from !== undefined && version.to !== undefined && isHigher(version.to, version.from));
  if (!raised) return undefined;
  const onlyRelease = listAnalysedFiles(facts).every((file) => ["manifest", "lockfile", "docs", "build", "ci"].includes(file.kind) || /(^|\/)(version|_version|__version__)\.\w+$/.test(file.path));
  // "Update release version for NIXL": the subject speaks of the version, the diff raises it (and touches copyright lines).
  const says = /\b(release|version|bump)\b/i.test(facts.message.description);
  return onlyRelease || says ? raised.to : undefined;
}

function isHigher(a: string, b: string): boolean {
  const parse = (v: string) => (/(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v) ?? []).slice(1).map((n) => Number(n ?? 0));
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return false;
}

/** A development version (`8.1.0.dev0`, `2.0.0-dev`, `1.4.0-SNAPSHOT`): it opens a cycle, users get nothing from it. */
export function isDevVersion(version: string): boolean {
  return /[.-](dev|snapshot|pre)\d*$/i.test(version);
}

/** A release that starts a new major version (`3.0.0`): its notes carry what breaks. */
export function isMajorRelease(version: string): boolean {
  return /^v?[1-9]\d*\.0(\.0)?$/.test(version.split(/[-+]/)[0]!);
}

/**
 * New components of the product: folders the commit creates with several product source
 * files and some size (a new backend or plugin), not a file or two added to an existing folder.
 */
export function listNewComponents(facts: CommitFacts, minFiles = 3, minLines = 300): string[] {
  const files = listProductFiles(facts).filter((file) => file.kind === "source");
  const touchedFolders = new Set(files.filter((file) => file.status !== "added").map((file) => parentFolder(file.path)));
  const byFolder = new Map<string, FileFacts[]>();
  for (const file of files) {
    if (file.status !== "added") continue;
    const folder = parentFolder(file.path);
    if (folder === "." || touchedFolders.has(folder)) continue;
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), file]);
  }
  // A component is the top-most new folder: src/plugins/hf3fs, not each of its subfolders.
  const grouped = new Map<string, FileFacts[]>();
  for (const [folder, list] of byFolder) {
    const root = [...byFolder.keys()].filter((other) => folder === other || folder.startsWith(`${other}/`)).sort((a, b) => a.length - b.length)[0]!;
    grouped.set(root, [...(grouped.get(root) ?? []), ...list]);
  }
  return [...grouped].filter(([, list]) => list.length >= minFiles && countLines(list).additions >= minLines).map(([folder]) => folder);
}
