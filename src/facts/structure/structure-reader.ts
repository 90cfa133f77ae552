/**
 * Reads both versions of a commit's changed source files and their structure (symbol
 * tables), at the lowest cost that history allows:
 *
 * - blobs come from the source's one long-lived `git cat-file --batch` process, all of a
 *   commit's in one request;
 * - each blob's structure is kept by object id, so a file changed in 50 commits costs 51
 *   parses, not 100;
 * - commits arrive newest first, and the old version of a file in one commit is the new
 *   version in the commit before it. So the old version is parsed *incrementally* from the
 *   new version's tree, edited by the commit's own hunks (tree-sitter reuses every subtree
 *   outside them), and that tree is kept for the next, older commit. Only the newest version
 *   of each file is parsed in full. On nixl's history this cuts parsing by about 4x.
 *
 * A file over the size cap, binary, missing from the repository (a partial clone), or
 * in a language without an adapter is not read; the caller falls back to the patch.
 */
import { Edit, type Tree } from "web-tree-sitter";
import type { BlobReader, Commit, FileChange } from "../../sources/types.js";
import { decideReach, isImportablePackage, readReexports, type Reach } from "./reach.js";
import { adapterForPath } from "./registry.js";
import { GrammarParser, loadGrammar } from "./tree-sitter.js";
import type { FileStructure, LanguageAdapter, StructureLanguage } from "./types.js";

export type StructureFallbackReason = "no-blobs" | "too-large" | "binary" | "missing-object" | "parse-failed";

export interface FileStructures {
  language: StructureLanguage;
  /** Absent on the side where the file does not exist. */
  before?: FileStructure;
  after?: FileStructure;
  reachBefore?: Reach;
  reachAfter?: Reach;
}

export type StructureResult = ({ status: "parsed" } & FileStructures) | { status: "fallback"; reason: StructureFallbackReason };

export interface StructureReaderOptions {
  /** Larger files are not parsed (generated tables, amalgamations): their patch is read instead. */
  maxFileBytes: number;
  /** Trees kept for incremental parsing; each holds wasm memory, so few. */
  treeCacheSize: number;
  /** Structures kept by blob id. */
  structureCacheSize: number;
}

const DEFAULTS: StructureReaderOptions = { maxFileBytes: 512 * 1024, treeCacheSize: 2048, structureCacheSize: 8192 };

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm;

export interface ReaderStats {
  fullParses: number;
  incrementalParses: number;
  cachedStructures: number;
  parsedBytes: number;
}

export class StructureReader {
  private readonly options: StructureReaderOptions;
  private readonly parsers = new Map<StructureLanguage, Promise<GrammarParser>>();
  private readonly trees = new LruMap<string, Tree>((tree) => tree.delete());
  private readonly structures = new LruMap<string, FileStructure>();
  /** What a package.json says, by its text: the same few manifests stand above every file of a commit, and of the next. */
  private readonly importable = new Map<string, boolean>();
  readonly stats: ReaderStats = { fullParses: 0, incrementalParses: 0, cachedStructures: 0, parsedBytes: 0 };

  constructor(
    private readonly blobs: BlobReader | undefined,
    options: Partial<StructureReaderOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.trees.capacity = this.options.treeCacheSize;
    this.structures.capacity = this.options.structureCacheSize;
  }

  /** The adapter that would read this path, if the pass reads its language at all. */
  static adapterFor(path: string): LanguageAdapter | undefined {
    return adapterForPath(path);
  }

  /** Structures of the commit's files selected by `want` (by index into `commit.files`). */
  async readCommit(commit: Commit, want: readonly number[]): Promise<Map<number, StructureResult>> {
    const results = new Map<number, StructureResult>();
    if (want.length === 0) return results;
    if (!this.blobs) {
      for (const index of want) results.set(index, { status: "fallback", reason: "no-blobs" });
      return results;
    }
    const jobs: Array<{ index: number; file: FileChange; adapter: LanguageAdapter }> = [];
    const names = new Set<string>();
    for (const index of want) {
      const file = commit.files[index]!;
      const adapter = adapterForPath(file.path);
      if (!adapter) continue;
      if (file.binary) {
        results.set(index, { status: "fallback", reason: "binary" });
        continue;
      }
      jobs.push({ index, file, adapter });
      const oldBlob = file.status === "copied" ? undefined : file.oldBlob;
      const oldNeeded = oldBlob !== undefined && !this.structures.has(structureKey(adapter, oldBlob));
      if (oldNeeded) names.add(oldBlob);
      // The new version's text is needed to parse it, and also to derive the old version from its tree.
      if (file.newBlob && (oldNeeded || !this.structures.has(structureKey(adapter, file.newBlob)))) names.add(file.newBlob);
    }
    for (const name of this.pythonInitNames(commit, jobs)) names.add(name);
    for (const name of packageJsonNames(commit, jobs)) names.add(name);
    const contents = await this.readTexts([...names]);

    for (const job of jobs) {
      try {
        results.set(job.index, await this.readFile(job.file, job.adapter, contents, commit));
      } catch {
        // A grammar that cannot be loaded or a parse that throws: say so, and read the patch.
        results.set(job.index, { status: "fallback", reason: "parse-failed" });
      }
    }
    return results;
  }

  private async readFile(
    file: FileChange,
    adapter: LanguageAdapter,
    contents: Map<string, string | "binary" | "too-large" | undefined>,
    commit: Commit,
  ): Promise<StructureResult> {
    const parser = await this.parserFor(adapter);
    const sides: Array<"after" | "before"> = ["after", "before"];
    const result: FileStructures = { language: adapter.id };
    for (const side of sides) {
      // A copy's source still exists, unchanged by the copy: every definition of the copy is new here.
      if (side === "before" && file.status === "copied") continue;
      const blob = side === "after" ? file.newBlob : file.oldBlob;
      const path = side === "after" ? file.path : (file.oldPath ?? file.path);
      if (!blob) continue;
      let structure = this.structures.get(structureKey(adapter, blob));
      if (structure) {
        this.stats.cachedStructures += 1;
      } else {
        const text = contents.get(blob);
        if (text === undefined) return { status: "fallback", reason: "missing-object" };
        if (text === "binary" || text === "too-large") return { status: "fallback", reason: text };
        const tree = this.parseSide(parser, file, side, blob, text, contents);
        if (!tree) return { status: "fallback", reason: "parse-failed" };
        structure = adapter.read(tree, text, { path });
        this.structures.set(structureKey(adapter, blob), structure);
      }
      result[side] = structure;
      const rev = side === "after" ? commit.sha : commit.parents[0];
      const reexported = adapter.id === "python" ? this.reexportsFor(path, rev, contents) : undefined;
      const importablePackage = isJsFamily(adapter.id) ? this.importablePackageOf(path, rev, contents) : undefined;
      const reach = decideReach({
        path,
        language: adapter.id,
        structure,
        ...(reexported ? { reexported } : {}),
        ...(importablePackage === undefined ? {} : { importablePackage }),
      });
      if (side === "after") result.reachAfter = reach;
      else result.reachBefore = reach;
    }
    return { status: "parsed", ...result };
  }

  /**
   * The tree of one side. The new side is parsed in full unless its tree is kept from a
   * later commit; the old side is derived from the new side's tree and this commit's hunks
   * when both are at hand, else parsed in full.
   */
  private parseSide(
    parser: GrammarParser,
    file: FileChange,
    side: "after" | "before",
    blob: string,
    text: string,
    contents: Map<string, string | "binary" | "too-large" | undefined>,
  ): Tree | undefined {
    const kept = this.trees.take(blob);
    if (kept) {
      this.trees.set(blob, kept);
      return kept;
    }
    let tree: Tree | undefined;
    if (side === "before" && file.newBlob && !file.patchTruncated && file.patch !== "") {
      const newText = contents.get(file.newBlob);
      const newTree = this.trees.take(file.newBlob);
      if (newTree && typeof newText === "string" && editTowardsOld(newTree, file.patch, newText, text)) {
        tree = parser.parse(text, newTree);
        this.stats.incrementalParses += 1;
      }
      newTree?.delete();
    }
    if (!tree) {
      tree = parser.parse(text);
      this.stats.fullParses += 1;
    }
    if (!tree) return undefined;
    this.stats.parsedBytes += text.length;
    this.trees.set(blob, tree);
    return tree;
  }

  private parserFor(adapter: LanguageAdapter): Promise<GrammarParser> {
    let parser = this.parsers.get(adapter.id);
    if (!parser) {
      parser = loadGrammar(adapter.grammar).then((language) => new GrammarParser(language));
      this.parsers.set(adapter.id, parser);
    }
    return parser;
  }

  /** `<rev>:<dir>/__init__.py` for Python modules named `_x.py`, both sides. */
  private pythonInitNames(commit: Commit, jobs: ReadonlyArray<{ file: FileChange; adapter: LanguageAdapter }>): string[] {
    const names: string[] = [];
    for (const { file, adapter } of jobs) {
      if (adapter.id !== "python") continue;
      for (const [path, rev] of sidesOf(commit, file)) {
        const init = initPathFor(path);
        if (init) names.push(`${rev}:${init}`);
      }
    }
    return names;
  }

  private reexportsFor(path: string, rev: string | undefined, contents: Map<string, string | "binary" | "too-large" | undefined>): Set<string> | undefined {
    const init = initPathFor(path);
    if (!init || !rev) return undefined;
    const text = contents.get(`${rev}:${init}`);
    if (typeof text !== "string") return undefined;
    const moduleName = path.slice(path.lastIndexOf("/") + 1).replace(/\.pyi?$/, "");
    return readReexports(text, moduleName);
  }

  /** What the nearest package.json above `path` at `rev` says ({@link isImportablePackage}); undefined when there is none. */
  private importablePackageOf(path: string, rev: string | undefined, contents: Map<string, string | "binary" | "too-large" | undefined>): boolean | undefined {
    if (!rev) return undefined;
    for (const manifest of packageJsonPaths(path)) {
      const text = contents.get(`${rev}:${manifest}`);
      if (typeof text !== "string") continue;
      let importable = this.importable.get(text);
      if (importable === undefined) {
        importable = isImportablePackage(text);
        if (this.importable.size >= 256) this.importable.clear();
        this.importable.set(text, importable);
      }
      return importable;
    }
    return undefined;
  }

  /** Texts by name; binary contents (a NUL byte) and files over the cap are marked, not decoded. */
  private async readTexts(names: string[]): Promise<Map<string, string | "binary" | "too-large" | undefined>> {
    const out = new Map<string, string | "binary" | "too-large" | undefined>();
    if (names.length === 0 || !this.blobs) return out;
    const answers = await this.blobs.read(names);
    names.forEach((name, index) => {
      const answer = answers[index];
      if (!answer) {
        out.set(name, undefined);
      } else if (answer.data.length > this.options.maxFileBytes) {
        out.set(name, "too-large");
      } else if (answer.data.includes(0)) {
        out.set(name, "binary");
      } else {
        out.set(name, answer.data.toString("utf8"));
      }
    });
    return out;
  }

  close(): void {
    this.trees.clear();
    for (const parser of this.parsers.values()) void parser.then((p) => p.delete());
    this.parsers.clear();
  }
}

function structureKey(adapter: LanguageAdapter, blob: string): string {
  return `${adapter.id}:${blob}`;
}

/** The `__init__.py` beside a private module (`pkg/_api.py`), or undefined for other paths. */
/** The file's path at each side of the commit with that side's revision (a root commit has no old side). */
function sidesOf(commit: Commit, file: FileChange): Array<[path: string, rev: string]> {
  const sides: Array<[string, string]> = [[file.path, commit.sha]];
  if (commit.parents[0]) sides.push([file.oldPath ?? file.path, commit.parents[0]]);
  return sides;
}

function isJsFamily(language: string): boolean {
  return language === "typescript" || language === "tsx" || language === "javascript";
}

/** package.json of each folder above `path`, nearest first, up to the repository's root. */
function packageJsonPaths(path: string): string[] {
  const dirs = path.split("/").slice(0, -1);
  const out: string[] = [];
  for (let depth = dirs.length; depth >= 0; depth--) out.push([...dirs.slice(0, depth), "package.json"].join("/"));
  return out;
}

/** `<rev>:<dir>/package.json` above each TypeScript/JavaScript file, both sides: one batch with the blobs. */
function packageJsonNames(commit: Commit, jobs: ReadonlyArray<{ file: FileChange; adapter: LanguageAdapter }>): string[] {
  const names = new Set<string>();
  for (const { file, adapter } of jobs) {
    if (!isJsFamily(adapter.id)) continue;
    for (const [path, rev] of sidesOf(commit, file)) for (const manifest of packageJsonPaths(path)) names.add(`${rev}:${manifest}`);
  }
  return [...names];
}

function initPathFor(path: string): string | undefined {
  const slash = path.lastIndexOf("/");
  const name = path.slice(slash + 1);
  if (!/^_[^_].*\.pyi?$|^_[a-z0-9]\w*\.pyi?$/i.test(name) || name === "__init__.py") return undefined;
  return `${slash < 0 ? "" : path.slice(0, slash + 1)}__init__.py`;
}

/** Start offsets of each line (string indices), for turning hunk line numbers into edits. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function offsetOfLine(starts: readonly number[], line: number, length: number): number {
  return line < starts.length ? starts[line]! : length;
}

function positionAt(starts: readonly number[], index: number): { row: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return { row: lo, column: index - starts[lo]! };
}

/**
 * Edits `tree` (of `newText`) so that it describes `oldText`, hunk by hunk, top to bottom:
 * above each hunk the document already reads as the old text, so each edit starts at the
 * hunk's old position and replaces the hunk's new lines with its old ones. Returns false,
 * leaving the tree unusable, when the hunks do not account for the texts' lengths (a
 * patch that does not describe these two blobs); the caller then parses in full.
 */
export function editTowardsOld(tree: Tree, patch: string, newText: string, oldText: string): boolean {
  const newStarts = lineStarts(newText);
  const oldStarts = lineStarts(oldText);
  let delta = 0;
  for (const m of patch.matchAll(HUNK_HEADER)) {
    const oldStart = Number(m[1]);
    const oldCount = m[2] === undefined ? 1 : Number(m[2]);
    const newStart = Number(m[3]);
    const newCount = m[4] === undefined ? 1 : Number(m[4]);
    // A count of 0 names the line *before* the empty range (diffutils' unified format).
    const oldFirst = oldCount === 0 ? oldStart : oldStart - 1;
    const newFirst = newCount === 0 ? newStart : newStart - 1;
    const oldFrom = offsetOfLine(oldStarts, oldFirst, oldText.length);
    const oldTo = offsetOfLine(oldStarts, oldFirst + oldCount, oldText.length);
    const newFrom = offsetOfLine(newStarts, newFirst, newText.length);
    const newTo = offsetOfLine(newStarts, newFirst + newCount, newText.length);
    const start = oldFrom;
    const newEnd = positionAt(newStarts, newTo);
    const startRow = positionAt(oldStarts, oldFrom);
    tree.edit(
      new Edit({
      startIndex: start,
      oldEndIndex: start + (newTo - newFrom),
      newEndIndex: start + (oldTo - oldFrom),
      startPosition: startRow,
      oldEndPosition: { row: startRow.row + (newEnd.row - newFirst), column: newEnd.column },
      newEndPosition: positionAt(oldStarts, oldTo),
      }),
    );
    delta += oldTo - oldFrom - (newTo - newFrom);
  }
  return newText.length + delta === oldText.length;
}

/** A Map that forgets its least recently used entries past `capacity`, calling `drop` on each. */
class LruMap<K, V> {
  capacity = 64;
  private readonly map = new Map<K, V>();
  constructor(private readonly drop?: (value: V) => void) {}

  has(key: K): boolean {
    return this.map.has(key);
  }

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  /** Removes and returns the entry: the caller owns it now. */
  take(key: K): V | undefined {
    const value = this.map.get(key);
    this.map.delete(key);
    return value;
  }

  set(key: K, value: V): void {
    const known = this.map.get(key);
    if (known !== undefined && known !== value) this.drop?.(known);
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      const [oldest, dropped] = this.map.entries().next().value as [K, V];
      this.map.delete(oldest);
      this.drop?.(dropped);
    }
  }

  clear(): void {
    for (const value of this.map.values()) this.drop?.(value);
    this.map.clear();
  }
}
