/**
 * Shared plumbing for the content extractors: the two sides of each hunk as text that
 * multi-line patterns can run over, the language family of a file, comment and string
 * stripping, and the rule that a name both removed and added in one file has moved.
 */
import { walkDiff } from "./diff-lines.js";
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
  lines: SideLine[];
}

const HUNK_START = /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@ ?(.*)$/;

export function splitHunks(patch: string): Hunk[] {
  const hunks: Hunk[] = [];
  let chunk: string[] = [];
  const flush = (): void => {
    const header = chunk[0] === undefined ? null : HUNK_START.exec(chunk[0]);
    if (header) hunks.push({ context: header[1] ?? "", lines: [...walkDiff(chunk.join("\n"))] });
  };
  for (const raw of patch.split("\n")) {
    if (raw.startsWith("@@ ")) {
      flush();
      chunk = [];
    }
    chunk.push(raw);
  }
  flush();
  return hunks;
}

/**
 * Each hunk seen from the old file (context + removed lines) and from the new file
 * (context + added lines), so that a definition spread over several lines can be read
 * whole while only its changed lines count as a change.
 */
export function* listHunkSides(patch: string): Generator<HunkSide> {
  for (const hunk of splitHunks(patch)) {
    const removed: SideLine[] = [];
    const added: SideLine[] = [];
    for (const l of hunk.lines) {
      if (l.type !== "add") removed.push({ text: l.text, line: l.oldLine!, changed: l.type === "del" });
      if (l.type !== "del") added.push({ text: l.text, line: l.newLine!, changed: l.type === "add" });
    }
    yield { change: "removed", context: hunk.context, lines: removed };
    yield { change: "added", context: hunk.context, lines: added };
  }
}

/** A side's lines joined with "\n", with a way back from a character offset to its line. */
export interface JoinedSide {
  text: string;
  indexAt(offset: number): number;
  startOf(index: number): number;
}

export function joinSide(lines: readonly SideLine[]): JoinedSide {
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
  patch: string,
  family: LanguageFamily | undefined,
  scan: (text: string) => T[],
): Array<{ hit: T; change: Change; line: number }> {
  const out: Array<{ hit: T; change: Change; line: number }> = [];
  for (const side of listHunkSides(patch)) {
    const joined = joinSide(side.lines);
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
