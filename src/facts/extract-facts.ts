/**
 * From one commit to its facts: what each file is, which modules it touches, what the
 * message says, and what the content extractors read in the patches. Files matching
 * the repo's ignore patterns are counted in the totals and listed as unseen, and
 * nothing else is read from them.
 */
import { posix } from "node:path";
import type { Commit, FileChange } from "../sources/types.js";
import { classifyFile } from "./classify-file.js";
import { extractDependencyChanges } from "./dependencies.js";
import { findModule } from "./find-module.js";
import { matchesAnyGlob } from "./match-glob.js";
import { parseMessage } from "./parse-message.js";
import { parsePatch } from "./patch-scan.js";
import { extractSignals } from "./signals.js";
import { extractSurfaceChanges } from "./surface.js";
import { extractSymbolChanges } from "./symbols.js";
import { extractTestChanges } from "./tests-changed.js";
import type { CommitFacts, FactOptions, FileFacts, FileKind, KindTotals } from "./types.js";

export { matchesAnyGlob } from "./match-glob.js";

/**
 * Kinds whose text nobody wrote by hand: their symbols, flags and risky-looking lines
 * are the tool's or the upstream's, not this commit's. Their dependency changes still
 * count (a lockfile pins what a manifest asked for).
 */
const MACHINE_WRITTEN: ReadonlySet<FileKind> = new Set(["generated", "vendored", "lockfile"]);

/** git's mode for "no file on this side" (an addition's old side, a deletion's new side). */
const ABSENT_MODE = /^0*$/;

export function extractFacts(commit: Commit, options: FactOptions): CommitFacts {
  const classes = commit.files.map((file) => classifyFile(file.path));
  const manifestDirs = [
    ...new Set(commit.files.filter((_, index) => classes[index]!.kind === "manifest").map((file) => posix.dirname(file.path))),
  ];
  const files = commit.files.map((file, index): FileFacts => {
    const { kind, language } = classes[index]!;
    return describeFile(file, kind, language, findModule(file.path, manifestDirs), matchesAnyGlob(file.path, options.ignorePaths));
  });

  const facts: CommitFacts = {
    sha: commit.sha,
    message: parseMessage(commit.subject, commit.body, commit.author),
    files,
    modules: rankModules(files),
    totals: sumTotals(files),
    dependencies: [],
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
    },
  };
  // The message alone can miss a merge (a custom subject); two parents cannot.
  if (commit.parents.length > 1) facts.message.isMerge = true;

  commit.files.forEach((change, index) => {
    const file = files[index]!;
    if (file.ignored) return;
    // Split into hunks at most once, by the first extractor that needs them.
    const patch = parsePatch(change.patch);
    facts.dependencies.push(...extractDependencyChanges(change, patch));
    if (MACHINE_WRITTEN.has(file.kind)) return;
    facts.surface.push(...extractSurfaceChanges(change, file.language, patch));
    facts.symbols.push(...extractSymbolChanges(change, file.language, patch));
    facts.tests.push(...extractTestChanges(change, file.kind, file.language, patch));
    facts.signals.push(...extractSignals(change, file.kind, patch));
  });
  return facts;
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
