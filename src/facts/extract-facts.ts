/**
 * From one commit to its facts: what each file is, which modules it touches, what the
 * message says, and what changed in the code. Two kinds of reading, the better one where
 * it can be had:
 *
 * - structural: both versions of each product source file parsed (structure/), so that a
 *   moved definition is a move, a test function is a test, and only public definitions of
 *   reachable files are public API; both versions of each manifest read whole (manifests/),
 *   so that dependency sections, dev/runtime scopes and workspace packages are known;
 * - from the patch: the hunks alone, for everything else and wherever the full texts are
 *   not at hand (the GitHub API source, a file over the size cap, a partial clone). The
 *   report says which product files were read this way.
 *
 * Then the commit-level rules: a whitespace-only file change fires nothing; a name removed
 * in one file and added in another moved; a risky line that moved is not new.
 * Files matching the repo's ignore patterns are counted in the totals, never read.
 */
import { posix } from "node:path";
import type { Commit, FileChange } from "../sources/types.js";
import { classifyFile } from "./classify-file.js";
import { extractDependencyChanges } from "./dependencies.js";
import { findModule } from "./find-module.js";
import { isWhitespaceOnly } from "./formatting.js";
import { diffManifest } from "./manifests/diff-manifest.js";
import { matchesAnyGlob } from "./match-glob.js";
import { parseMessage } from "./parse-message.js";
import { parsePatch, type ParsedPatch } from "./patch-scan.js";
import { extractSignals } from "./signals.js";
import { diffStructures, type FileStructureDiffInput } from "./structure/diff-structure.js";
import { decideReach } from "./structure/reach.js";
import { adapterForPath } from "./structure/registry.js";
import type { StructureResult } from "./structure/structure-reader.js";
import type { CliFlagDef } from "./structure/types.js";
import { extractSurfaceChanges } from "./surface.js";
import { extractSymbolChanges } from "./symbols.js";
import { extractTestChanges, scanTestFunctions } from "./tests-changed.js";
import type {
  CommitFacts,
  DependencyChange,
  FactOptions,
  FileFacts,
  FileKind,
  KindTotals,
  Signal,
  SurfaceArea,
  SurfaceChange,
  SymbolChange,
  TestChange,
} from "./types.js";

export { matchesAnyGlob } from "./match-glob.js";

/**
 * Kinds whose text nobody wrote by hand: their symbols, flags and risky-looking lines
 * are the tool's or the upstream's, not this commit's. Their dependency changes still
 * count (a lockfile pins what a manifest asked for).
 */
const MACHINE_WRITTEN: ReadonlySet<FileKind> = new Set(["generated", "vendored", "lockfile"]);

/** Kinds whose whitespace-only changes are told apart: where a change could otherwise raise a fact or a signal. */
const FORMATTING_KINDS: ReadonlySet<FileKind> = new Set(["source", "config", "build", "manifest", "other", "ci", "test", "example", "benchmark", "tooling"]);

/** git's mode for "no file on this side" (an addition's old side, a deletion's new side). */
const ABSENT_MODE = /^0*$/;

const AREA_OF_KIND: Partial<Record<FileKind, SurfaceArea>> = {
  source: "product",
  config: "product",
  other: "product",
  test: "test",
  example: "example",
  benchmark: "benchmark",
  tooling: "tooling",
  build: "build",
  manifest: "build",
  ci: "ci",
  docs: "docs",
  asset: "docs",
};

/** Full texts read for the commit: structures of product source files, both versions of manifests. */
export interface CommitTexts {
  /** By index into `commit.files`. */
  structures: ReadonlyMap<number, StructureResult>;
  manifests: ReadonlyMap<number, { before?: string; after?: string }>;
  /** The folders a Python project ships (its pyproject.toml says); Python code elsewhere is tooling. */
  pythonRoots?: readonly string[];
}

const NO_TEXTS: CommitTexts = { structures: new Map(), manifests: new Map() };

/** Which files a fact reader should read in full for this commit (by index). */
export function selectFilesToRead(
  commit: Commit,
  options: FactOptions,
  pythonRoots?: readonly string[],
): { structure: number[]; manifests: number[] } {
  const structure: number[] = [];
  const manifests: number[] = [];
  commit.files.forEach((file, index) => {
    if (file.binary || file.submodule || matchesAnyGlob(file.path, options.ignorePaths)) return;
    const { kind } = classifyPath(file.path, pythonRoots);
    if (kind === "source" && wantsStructure(file.path)) structure.push(index);
    else if (kind === "manifest" || isToolchainFile(file.path)) manifests.push(index);
  });
  return { structure, manifests };
}

/**
 * Product source files the structural pass reads. C and C++ only in public headers (see
 * reach.ts): a public header declares the API; `.c`/`.cpp` files and internal headers
 * define nothing users import, hold no flags the pass reads, and are most of a C++
 * project's bytes (parsing them would cost more than the rest of a whole-history report).
 * Their changes are read from the patch.
 */
function wantsStructure(path: string): boolean {
  const adapter = adapterForPath(path);
  if (!adapter) return false;
  if (adapter.id !== "c" && adapter.id !== "cpp") return true;
  return decideReach({ path, language: adapter.id, structure: EMPTY_STRUCTURE }) === "public";
}

const EMPTY_STRUCTURE = { symbols: [], cliFlags: [], errorCount: 0 };

function isToolchainFile(path: string): boolean {
  return /(^|\/)(rust-toolchain(\.toml)?|\.nvmrc|\.node-version|\.python-version)$/.test(path);
}

/**
 * Classes by path, kept: a history touches the same few thousand paths over and over, and
 * the classifier's table of patterns is the same for all of them.
 */
const CLASSES = new Map<string, ReturnType<typeof classifyFile>>();
const MAX_CLASSES = 50_000;

function classifyCached(path: string): ReturnType<typeof classifyFile> {
  let result = CLASSES.get(path);
  if (!result) {
    if (CLASSES.size >= MAX_CLASSES) CLASSES.clear();
    result = classifyFile(path);
    CLASSES.set(path, result);
  }
  return result;
}

/** The file's kind, and whether it is Python source outside the folders the project ships (a companion program). */
function classifyPath(path: string, pythonRoots: readonly string[] | undefined): ReturnType<typeof classifyFile> & { companion?: boolean } {
  const result = classifyCached(path);
  if (pythonRoots && result.kind === "source" && result.language === "Python" && !pythonRoots.some((root) => path.startsWith(`${root}/`))) {
    return { ...result, companion: true };
  }
  return result;
}

export function extractFacts(commit: Commit, options: FactOptions, texts: CommitTexts = NO_TEXTS): CommitFacts {
  const classes = commit.files.map((file) => classifyPath(file.path, texts.pythonRoots));
  const manifestDirs = [
    ...new Set(commit.files.filter((_, index) => classes[index]!.kind === "manifest").map((file) => posix.dirname(file.path))),
  ];
  const patches = commit.files.map((file) => parsePatch(file.patch));
  const files = commit.files.map((file, index): FileFacts => {
    const { kind, language } = classes[index]!;
    const facts = describeFile(file, kind, language, findModule(file.path, manifestDirs), matchesAnyGlob(file.path, options.ignorePaths));
    if (classes[index]!.companion) facts.companion = true;
    if (!facts.ignored && FORMATTING_KINDS.has(kind) && !file.binary && file.patch !== "" && !file.patchTruncated && isWhitespaceOnly(file.path, patches[index]!)) {
      facts.formattingOnly = true;
    }
    return facts;
  });

  const facts: CommitFacts = {
    sha: commit.sha,
    message: parseMessage(commit.subject, commit.body, commit.author),
    files,
    modules: rankModules(files),
    totals: sumTotals(files),
    dependencies: [],
    versions: [],
    surface: [],
    symbols: [],
    tests: [],
    docs: files.filter((file) => !file.ignored && file.kind === "docs").map((file) => file.path),
    ci: files.filter((file) => !file.ignored && file.kind === "ci").map((file) => file.path),
    signals: [],
    unseen: {
      truncatedFiles: files.filter((file) => !file.ignored && file.patchTruncated).map((file) => file.path),
      omittedPatchBytes: commit.patchBytesOmitted,
      ignoredFiles: files.filter((file) => file.ignored).map((file) => file.path),
      structureFallback: [],
    },
  };
  const unreadable = commit.files.filter((file, index) => file.unreadable && !files[index]!.ignored).map((file) => file.path);
  if (unreadable.length > 0) facts.unseen.unreadableFiles = unreadable;
  // The message alone can miss a merge (a custom subject); two parents cannot.
  if (commit.parents.length > 1) facts.message.isMerge = true;

  readDependencies(commit, files, patches, texts, facts);

  const structural: FileStructureDiffInput[] = [];
  const flagChanges: SurfaceChange[] = [];
  // The tests inside whole test files added or deleted, to pair with tests removed or added elsewhere.
  const wholeFileTests: TestChange[] = [];
  commit.files.forEach((change, index) => {
    const file = files[index]!;
    if (file.ignored || MACHINE_WRITTEN.has(file.kind) || file.formattingOnly) return;
    const patch = patches[index]!;
    const area: SurfaceArea = file.companion ? "tooling" : (AREA_OF_KIND[file.kind] ?? "product");
    const structure = texts.structures.get(index);
    const parsed = structure?.status === "parsed" ? structure : undefined;
    // An unreadable file is said once, in unreadableFiles: it has no patch to fall back on either.
    if (structure?.status === "fallback" && !change.unreadable) facts.unseen.structureFallback.push({ file: file.path, reason: structure.reason });
    else if (!parsed && !change.unreadable && file.kind === "source" && wantsStructure(file.path) && !file.binary) {
      facts.unseen.structureFallback.push({ file: file.path, reason: "no-blobs" });
    }

    let surface = extractSurfaceChanges(change, file.language, patch, area);
    if (parsed) {
      // The parse reads each declaration whole: its flags replace what the hunks suggest.
      surface = surface.filter((entry) => entry.kind !== "cli-flag");
      flagChanges.push(...diffCliFlags(parsed.before?.cliFlags ?? [], parsed.after?.cliFlags ?? [], file.path, area));
      structural.push({
        path: file.path,
        ...(file.oldPath ? { oldPath: file.oldPath } : {}),
        structures: parsed,
        language: file.language ?? parsed.language,
        product: file.kind === "source" && !file.companion,
        ...(change.patchTruncated ? {} : { changedLines: changedLines(patch) }),
      });
    } else {
      facts.symbols.push(...readPatchSymbols(change, file, patch));
    }
    facts.surface.push(...surface);
    const tests = extractTestChanges(change, file.kind, file.language, patch);
    facts.tests.push(...tests);
    if (tests.some((test) => test.scope === "file")) wholeFileTests.push(...scanTestFunctions(change, file.kind, file.language, patch));
    facts.signals.push(...extractSignals(change, file.kind, patch));
  });
  facts.symbols.push(...diffStructures(structural));
  facts.symbols.sort((a, b) => compareStrings(a.origin.file, b.origin.file) || (a.origin.line ?? 0) - (b.origin.line ?? 0));
  facts.surface = dropMovedAcrossFiles([...facts.surface, ...flagChanges]);
  facts.signals = dropMovedSignals(facts.signals);
  facts.tests = dropTestsMovedAcrossFiles(facts.tests, wholeFileTests);
  return facts;
}

/** Manifests read whole where both texts are at hand, else from their hunks. */
function readDependencies(commit: Commit, files: readonly FileFacts[], patches: readonly ParsedPatch[], texts: CommitTexts, facts: CommitFacts): void {
  const ownPackages = new Set<string>();
  const whole = new Map<number, ReturnType<typeof diffManifest>>();
  // Two passes: the commit's own package names first, so that a pin of one is known as internal.
  for (const pass of [0, 1]) {
    for (const [index, manifest] of texts.manifests) {
      const file = files[index]!;
      if (file.ignored) continue;
      const result = diffManifest(file.path, manifest.before, manifest.after, { ownPackages });
      if (pass === 0) for (const name of result?.ownPackages ?? []) ownPackages.add(name);
      else whole.set(index, result);
    }
  }
  commit.files.forEach((change, index) => {
    const file = files[index]!;
    if (file.ignored) return;
    const result = whole.get(index);
    if (result) {
      facts.dependencies.push(...result.dependencies);
      facts.versions.push(...result.versions);
    } else {
      facts.dependencies.push(
        ...extractDependencyChanges(change, patches[index]!).map((dependency) =>
          ownPackages.has(dependency.name) ? { ...dependency, internal: true } : dependency,
        ),
      );
    }
  });
  facts.dependencies = dropMovedBuildDependencies(facts.dependencies);
}

/** Build systems whose files in subfolders are parts of one build (`subdir()`, `add_subdirectory()`). */
const ONE_BUILD_ECOSYSTEMS: ReadonlySet<DependencyChange["ecosystem"]> = new Set(["meson", "cmake"]);

/**
 * A `dependency('liburing')` that leaves a plugin's meson.build and appears in the root one
 * moved within one build: nothing was added or removed (a move is no removal, and no addition
 * either). Crates and npm packages are separate packages: a dependency leaving one for another
 * is two real changes, kept.
 */
function dropMovedBuildDependencies(dependencies: DependencyChange[]): DependencyChange[] {
  const key = (dependency: DependencyChange) => `${dependency.ecosystem}\n${dependency.name}\n${dependency.scope}`;
  const removed = new Map<string, DependencyChange[]>();
  for (const dependency of dependencies) {
    if (dependency.change === "removed" && ONE_BUILD_ECOSYSTEMS.has(dependency.ecosystem)) removed.set(key(dependency), [...(removed.get(key(dependency)) ?? []), dependency]);
  }
  if (removed.size === 0) return dependencies;
  const moved = new Set<DependencyChange>();
  for (const dependency of dependencies) {
    if (dependency.change !== "added" || !ONE_BUILD_ECOSYSTEMS.has(dependency.ecosystem)) continue;
    const from = removed.get(key(dependency))?.find((candidate) => !moved.has(candidate) && candidate.origin.file !== dependency.origin.file);
    if (from === undefined) continue;
    moved.add(from).add(dependency);
  }
  return moved.size === 0 ? dependencies : dependencies.filter((dependency) => !moved.has(dependency));
}

/**
 * Definitions read from the patch: public API only in product source, and only where the
 * path can be imported (a public header, a non-internal package); elsewhere they are
 * tests', examples' or tools' definitions.
 */
function readPatchSymbols(change: FileChange, file: FileFacts, patch: ParsedPatch): SymbolChange[] {
  const symbols = extractSymbolChanges(change, file.language, patch);
  if (symbols.length === 0) return symbols;
  const adapter = adapterForPath(file.path);
  const reachable =
    file.kind === "source" &&
    !file.companion &&
    (adapter === undefined || decideReach({ path: file.path, language: adapter.id, structure: EMPTY_STRUCTURE }) === "public");
  return symbols.map((symbol) => ({ ...symbol, exported: symbol.exported && reachable }));
}

function changedLines(patch: ParsedPatch): { removed: Set<number>; added: Set<number> } {
  const removed = new Set<number>();
  const added = new Set<number>();
  for (const hunk of patch.hunks) {
    for (const line of hunk.lines) {
      if (line.type === "del") removed.add(line.oldLine!);
      else if (line.type === "add") added.add(line.newLine!);
    }
  }
  return { removed, added };
}

/**
 * Flags before and after, by name: added, removed, choices or default changed; a flag
 * gone whose destination reappears under a new name was renamed.
 */
export function diffCliFlags(before: readonly CliFlagDef[], after: readonly CliFlagDef[], file: string, area: SurfaceArea): SurfaceChange[] {
  const out: SurfaceChange[] = [];
  // Pairs by parser and name: `--isl` of one subcommand against `--isl` of the same one.
  const key = (flag: CliFlagDef) => `${flag.group ?? ""}\u0000${flag.name}`;
  const oldByKey = groupBy(before, key);
  const pairs: Array<[CliFlagDef, CliFlagDef]> = [];
  const fresh: CliFlagDef[] = [];
  for (const flag of after) {
    const candidates = oldByKey.get(key(flag));
    const was = candidates?.shift();
    if (was) pairs.push([was, flag]);
    else fresh.push(flag);
  }
  const gone = [...oldByKey.values()].flat();
  // A flag that left one parser and arrived in another of the same file moved, with its declaration.
  const movedNames = new Set(gone.map((flag) => flag.name).filter((name) => fresh.some((flag) => flag.name === name)));
  const renamed = new Set<CliFlagDef>();
  for (const flag of fresh) {
    if (movedNames.has(flag.name)) continue;
    const was = gone.find((old) => old.dest !== undefined && old.dest === flag.dest && !renamed.has(old) && !movedNames.has(old.name) && (old.group ?? "") === (flag.group ?? ""));
    if (was) {
      renamed.add(was);
      out.push({ kind: "cli-flag", name: flag.name, change: "renamed", area, detail: { renamedFrom: was.name }, origin: { file, line: flag.line } });
    } else {
      out.push({ kind: "cli-flag", name: flag.name, change: "added", area, origin: { file, line: flag.line } });
    }
  }
  for (const flag of gone) {
    if (!renamed.has(flag) && !movedNames.has(flag.name)) out.push({ kind: "cli-flag", name: flag.name, change: "removed", area, origin: { file, line: flag.line } });
  }
  for (const [was, flag] of pairs) {
    const detail: NonNullable<SurfaceChange["detail"]> = {};
    const oldChoices = was.choices ?? [];
    const newChoices = flag.choices ?? [];
    const choicesAdded = newChoices.filter((choice) => !oldChoices.includes(choice));
    const choicesRemoved = oldChoices.filter((choice) => !newChoices.includes(choice));
    if ((was.choices || flag.choices) && (choicesAdded.length > 0 || choicesRemoved.length > 0)) {
      detail.choicesAdded = choicesAdded;
      detail.choicesRemoved = choicesRemoved;
    }
    if (was.default !== flag.default) {
      if (was.default !== undefined) detail.defaultFrom = was.default;
      if (flag.default !== undefined) detail.defaultTo = flag.default;
    }
    if (Object.keys(detail).length > 0) out.push({ kind: "cli-flag", name: flag.name, change: "changed", area, detail, origin: { file, line: flag.line } });
  }
  return out;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

/** A name removed from one file and added to another of the same area moved: neither is news. */
function dropMovedAcrossFiles(entries: readonly SurfaceChange[]): SurfaceChange[] {
  const sides = new Map<string, Set<string>>();
  for (const entry of entries) {
    if (entry.change !== "added" && entry.change !== "removed") continue;
    const key = `${entry.kind}\u0000${entry.name}\u0000${entry.area}`;
    const set = sides.get(key) ?? new Set<string>();
    set.add(entry.change);
    sides.set(key, set);
  }
  return entries.filter((entry) => {
    if (entry.change !== "added" && entry.change !== "removed") return true;
    return sides.get(`${entry.kind}\u0000${entry.name}\u0000${entry.area}`)!.size < 2;
  });
}

/**
 * A test removed from one file and added to another under the same name moved: neither is
 * said (a suite split into a shared contract file lost no test). Whole test files added or
 * deleted stay one entry each, but the tests inside them pair with tests elsewhere.
 */
function dropTestsMovedAcrossFiles(tests: readonly TestChange[], insideWholeFiles: readonly TestChange[]): TestChange[] {
  const functions = [...tests.filter((test) => test.scope === "function"), ...insideWholeFiles];
  const where: Record<TestChange["change"], Map<string, Set<string>>> = { added: new Map(), removed: new Map() };
  for (const test of functions) {
    const byName = where[test.change];
    byName.set(test.name, (byName.get(test.name) ?? new Set()).add(test.origin.file));
  }
  const movedAway = (test: TestChange) => {
    const other = where[test.change === "added" ? "removed" : "added"].get(test.name);
    return other !== undefined && [...other].some((file) => file !== test.origin.file);
  };
  return tests.filter((test) => test.scope === "file" || !movedAway(test));
}

/** A risky line removed in one place and added in another (the same text) moved; it is not new. */
function dropMovedSignals(signals: readonly Signal[]): Signal[] {
  const key = (signal: Signal) => `${signal.kind}\u0000${signal.text.replace(/\s+/g, "")}`;
  const removed = new Set(signals.filter((s) => s.change === "removed").map(key));
  const added = new Set(signals.filter((s) => s.change === "added").map(key));
  return signals.filter((signal) => !(removed.has(key(signal)) && added.has(key(signal))));
}

function describeFile(file: FileChange, kind: FileKind, language: string | undefined, module: string, ignored: boolean): FileFacts {
  const facts: FileFacts = {
    path: file.path,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    binary: file.binary,
    submodule: file.submodule,
    module,
    kind,
    patchTruncated: file.patchTruncated,
    ignored,
  };
  if (file.oldPath !== undefined) facts.oldPath = file.oldPath;
  if (language !== undefined) facts.language = language;
  const bothSidesExist = !ABSENT_MODE.test(file.oldMode) && !ABSENT_MODE.test(file.newMode);
  if (bothSidesExist && file.oldMode !== file.newMode) facts.modeChange = { from: file.oldMode, to: file.newMode };
  return facts;
}

/**
 * Modules of the analysed (not ignored) files, most lines changed first; ties by
 * number of files, then by name, so the order is stable.
 */
function rankModules(files: readonly FileFacts[]): string[] {
  const weight = new Map<string, { lines: number; files: number }>();
  for (const file of files) {
    if (file.ignored) continue;
    const entry = weight.get(file.module) ?? { lines: 0, files: 0 };
    entry.lines += file.additions + file.deletions;
    entry.files += 1;
    weight.set(file.module, entry);
  }
  return [...weight]
    .sort(([nameA, a], [nameB, b]) => b.lines - a.lines || b.files - a.files || compareStrings(nameA, nameB))
    .map(([name]) => name);
}

function sumTotals(files: readonly FileFacts[]): CommitFacts["totals"] {
  const totals: CommitFacts["totals"] = { files: 0, additions: 0, deletions: 0, byKind: {} };
  for (const file of files) {
    addTo(totals, file);
    const kindTotals: KindTotals = totals.byKind[file.kind] ?? { files: 0, additions: 0, deletions: 0 };
    addTo(kindTotals, file);
    totals.byKind[file.kind] = kindTotals;
  }
  return totals;
}

function addTo(totals: KindTotals, file: FileFacts): void {
  totals.files += 1;
  totals.additions += file.additions;
  totals.deletions += file.deletions;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
