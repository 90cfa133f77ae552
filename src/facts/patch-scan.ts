/**
 * Shared plumbing for the content extractors: each patch parsed once into hunks, the two
 * sides of each hunk as text that multi-line patterns can run over, the language family
 * of a file, comment and string stripping, and the rule that a name both removed and
 * added in one file has moved.
 */
import type { DiffLine } from "./diff-lines.js";

export type Change = "added" | "removed";

export interface Hunk {
  /** Text after the second `@@`: git's guess at the enclosing function or class, often empty. */
  context: string;
  lines: DiffLine[];
}

/** One line of one side of a hunk: context lines belong to both sides. */
export interface SideLine {
  text: string;
  line: number;
  /** Added (new side) or removed (old side); false for context. */
  changed: boolean;
}

export interface HunkSide {
  change: Change;
  context: string;
  lines: readonly SideLine[];
  /** Some line of this side was added or removed; a side without one (the old side of a pure addition) changes nothing. */
  readonly hasChangedLines: boolean;
  /** The lines joined into one text, built on first use and kept. */
  readonly joined: JoinedSide;
}

/**
 * A file's patch, read once and shared by every extractor that looks at the same file.
 * Each form is built on first use, so an extractor that rejects a file from its raw
 * text costs no split at all.
 */
export interface ParsedPatch {
  readonly text: string;
  /** The hunks in patch order; lines before the first hunk header (none in git's output) are dropped. */
  readonly hunks: readonly Hunk[];
  /** Each hunk from the old file (context + removed lines), then from the new file (context + added lines). */
  readonly sides: readonly HunkSide[];
}

export function parsePatch(text: string): ParsedPatch {
  return new LazyPatch(text);
}

/** Classes rather than object literals with getters, which V8 builds far more slowly. */
class LazyPatch implements ParsedPatch {
  private parsedHunks: Hunk[] | undefined;
  private parsedSides: HunkSide[] | undefined;
  constructor(readonly text: string) {}
  get hunks(): readonly Hunk[] {
    return (this.parsedHunks ??= splitHunks(this.text));
  }
  get sides(): readonly HunkSide[] {
    return (this.parsedSides ??= listHunkSides(this.hunks));
  }
}

class LazySide implements HunkSide {
  private joinedLines: JoinedSide | undefined;
  constructor(
    readonly change: Change,
    readonly context: string,
    readonly lines: readonly SideLine[],
    readonly hasChangedLines: boolean,
  ) {}
  get joined(): JoinedSide {
    return (this.joinedLines ??= joinSide(this.lines));
  }
}

/** https://www.gnu.org/software/diffutils/manual/html_node/Detailed-Unified.html */
const HUNK_HEADER = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@ ?([^]*)/;

/**
 * One pass over the patch. A line starting `@@ ` that is no hunk header ends the hunk
 * before it: the lines after it have no known line numbers.
 */
function splitHunks(patch: string): Hunk[] {
  const hunks: Hunk[] = [];
  let lines: DiffLine[] | undefined;
  let oldLine = 0;
  let newLine = 0;
  for (const raw of patch.split("\n")) {
    if (raw.startsWith("@@ ")) {
      const header = HUNK_HEADER.exec(raw);
      lines = undefined;
      if (!header) continue;
      oldLine = Number(header[1]);
      newLine = Number(header[2]);
      lines = [];
      hunks.push({ context: header[3]!, lines });
      continue;
    }
    if (lines === undefined || raw.length === 0) continue;
    const marker = raw[0];
    if (marker === "+") lines.push({ type: "add", text: raw.slice(1), newLine: newLine++ });
    else if (marker === "-") lines.push({ type: "del", text: raw.slice(1), oldLine: oldLine++ });
    else if (marker === " ") lines.push({ type: "ctx", text: raw.slice(1), oldLine: oldLine++, newLine: newLine++ });
    // "\ No newline at end of file" and anything else carries no line.
  }
  return hunks;
}

/**
 * Each hunk seen from the old file and from the new file, so that a definition spread
 * over several lines can be read whole while only its changed lines count as a change.
 */
function listHunkSides(hunks: readonly Hunk[]): HunkSide[] {
  const sides: HunkSide[] = [];
  for (const hunk of hunks) {
    const removed: SideLine[] = [];
    const added: SideLine[] = [];
    let anyRemoved = false;
    let anyAdded = false;
    for (const l of hunk.lines) {
      if (l.type !== "add") removed.push({ text: l.text, line: l.oldLine!, changed: l.type === "del" });
      if (l.type !== "del") added.push({ text: l.text, line: l.newLine!, changed: l.type === "add" });
      if (l.type === "del") anyRemoved = true;
      else if (l.type === "add") anyAdded = true;
    }
    sides.push(new LazySide("removed", hunk.context, removed, anyRemoved), new LazySide("added", hunk.context, added, anyAdded));
  }
  return sides;
}

/** A side's lines joined with "\n", with a way back from a character offset to its line. */
export interface JoinedSide {
  text: string;
  indexAt(offset: number): number;
  startOf(index: number): number;
}

function joinSide(lines: readonly SideLine[]): JoinedSide {
  const starts: number[] = [];
  let offset = 0;
  for (const l of lines) {
    starts.push(offset);
    offset += l.text.length + 1;
  }
  return {
    text: lines.map((l) => l.text).join("\n"),
    indexAt(at: number): number {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= at) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    },
    startOf(index: number): number {
      return starts[index] ?? offset;
    },
  };
}

/**
 * Keeps the first entry per (key, change) and drops every key found on both sides: a
 * name removed in one place and added in another of the same file has moved, not changed.
 */
export function dropMoved<T extends { change: Change }>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const sides = new Map<string, Set<Change>>();
  for (const item of items) {
    const key = keyOf(item);
    const set = sides.get(key) ?? new Set<Change>();
    set.add(item.change);
    sides.set(key, set);
  }
  const seen = new Set<string>();
  const kept: T[] = [];
  for (const item of items) {
    const key = keyOf(item);
    if (sides.get(key)!.size > 1) continue;
    const once = `${item.change}\u0000${key}`;
    if (seen.has(once)) continue;
    seen.add(once);
    kept.push(item);
  }
  return kept;
}

export type LanguageFamily =
  | "python"
  | "js"
  | "rust"
  | "go"
  | "c"
  | "java"
  | "shell"
  | "dockerfile"
  | "yaml"
  | "toml"
  | "json";

const FAMILY_BY_LANGUAGE: Record<string, LanguageFamily> = {
  python: "python",
  cython: "python",
  typescript: "js",
  javascript: "js",
  tsx: "js",
  jsx: "js",
  rust: "rust",
  go: "go",
  c: "c",
  "c++": "c",
  cuda: "c",
  "objective-c": "c",
  java: "java",
  kotlin: "java",
  shell: "shell",
  dockerfile: "dockerfile",
  yaml: "yaml",
  toml: "toml",
  json: "json",
};

const FAMILY_BY_EXTENSION: Record<string, LanguageFamily> = {
  py: "python",
  pyi: "python",
  pyx: "python",
  ts: "js",
  tsx: "js",
  mts: "js",
  cts: "js",
  js: "js",
  jsx: "js",
  mjs: "js",
  cjs: "js",
  rs: "rust",
  go: "go",
  c: "c",
  h: "c",
  cc: "c",
  cpp: "c",
  cxx: "c",
  hh: "c",
  hpp: "c",
  hxx: "c",
  cu: "c",
  cuh: "c",
  java: "java",
  kt: "java",
  sh: "shell",
  bash: "shell",
  zsh: "shell",
  dockerfile: "dockerfile",
  yaml: "yaml",
  yml: "yaml",
  toml: "toml",
  json: "json",
};

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export function isDockerfile(path: string): boolean {
  const name = baseName(path).toLowerCase();
  return name === "dockerfile" || name === "containerfile" || name.endsWith(".dockerfile") || name.startsWith("dockerfile.");
}

/** The language's family, from the classifier's language name when known, else from the file name. */
export function detectFamily(path: string, language: string | undefined): LanguageFamily | undefined {
  const byName = language === undefined ? undefined : FAMILY_BY_LANGUAGE[language.toLowerCase()];
  if (byName) return byName;
  if (isDockerfile(path)) return "dockerfile";
  const name = baseName(path);
  const dot = name.lastIndexOf(".");
  return dot < 0 ? undefined : FAMILY_BY_EXTENSION[name.slice(dot + 1).toLowerCase()];
}

const HASH_COMMENT_FAMILIES = new Set<LanguageFamily | undefined>(["python", "shell", "dockerfile", "yaml", "toml", undefined]);

/** A line that is only a comment (or the inside of a block comment, as far as one line shows). */
export function isCommentLine(text: string, family: LanguageFamily | undefined): boolean {
  const t = text.trim();
  if (t.startsWith("//") || t.startsWith("/*") || t === "*" || t.startsWith("* ") || t.startsWith("*/")) return true;
  if (t.startsWith("<!--")) return true;
  // `#[attr]` (Rust), `#!` (shebang) and `#include` (C) are code.
  if (t.startsWith("#") && !t.startsWith("#[") && !t.startsWith("#!")) return HASH_COMMENT_FAMILIES.has(family);
  return false;
}

/**
 * Blanks the inside of string literals (keeping every offset) so that code patterns do
 * not fire on prose.
 */
export function blankStrings(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, (s) => s[0]! + " ".repeat(s.length - 2) + s[0]!);
}

/** Code without string contents and without a trailing comment; offsets match the line's. */
export function codeOnly(text: string, family: LanguageFamily | undefined): string {
  const blanked = blankStrings(text);
  const slash = family === "python" || family === "shell" || family === "yaml" || family === "toml" ? -1 : blanked.indexOf("//");
  const hash = HASH_COMMENT_FAMILIES.has(family) ? blanked.search(/(^|\s)#(?![[!])/) : -1;
  const cuts = [slash, hash].filter((i) => i >= 0);
  return cuts.length === 0 ? blanked : blanked.slice(0, Math.min(...cuts));
}

/** A pattern's find in a joined side: `at` holds offsets of every part it depends on, the name's own first. */
export interface PatternHit {
  at: number[];
}

/**
 * Runs a scanner over both sides of every hunk and keeps the hits that depend on a changed
 * line, unless the name itself stands in a comment. The line reported is the first changed one.
 */
export function findChangedHits<T extends PatternHit>(
  patch: ParsedPatch,
  family: LanguageFamily | undefined,
  scan: (text: string) => T[],
): Array<{ hit: T; change: Change; line: number }> {
  const out: Array<{ hit: T; change: Change; line: number }> = [];
  for (const side of patch.sides) {
    if (!side.hasChangedLines) continue;
    const joined = side.joined;
    for (const hit of scan(joined.text)) {
      const lines = hit.at.map((offset) => side.lines[joined.indexAt(offset)]!);
      if (isCommentLine(lines[0]!.text, family)) continue;
      const changed = lines.find((l) => l.changed);
      if (changed) out.push({ hit, change: side.change, line: changed.line });
    }
  }
  return out;
}

/** Every match of a global pattern compiled with the `d` flag, with its capture offsets. */
export function* matchWithIndices(
  text: string,
  pattern: RegExp,
): Generator<RegExpExecArray & { indices: NonNullable<RegExpExecArray["indices"]> }> {
  for (const m of text.matchAll(pattern)) {
    if (m.indices) yield m as RegExpExecArray & { indices: NonNullable<RegExpExecArray["indices"]> };
  }
}
