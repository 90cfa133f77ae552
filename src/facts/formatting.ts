/**
 * Whether a file's change is whitespace alone (`git diff -w` would be empty): tabs to
 * spaces, reindentation, trailing spaces, rewrapped lines. Such a change runs nothing new,
 * so no signal may fire on it and no symbol changed.
 *
 * Read from the patch, hunk by hunk: the hunk's old side and new side (context included)
 * must be equal once whitespace is removed. Where indentation is syntax (Python, YAML,
 * Makefiles), a line's nesting depth is kept too, counted from the indent widths the hunk
 * itself shows, so `b()` dedented out of an `if` block is a change while tabs turned into
 * four spaces are not.
 */
import type { ParsedPatch } from "./patch-scan.js";

const BLANK = /^\s*$/;
const INDENT_SENSITIVE = /\.(py|pyi|pyx|ya?ml|mk|nim|coffee|haml|pug|sass|styl)$|(^|\/)(GNU)?[Mm]akefile[^/]*$/;

export function isWhitespaceOnly(path: string, patch: ParsedPatch): boolean {
  const hunks = patch.hunks;
  if (hunks.length === 0) return false;
  const indentation = INDENT_SENSITIVE.test(path);
  let changed = false;
  for (const hunk of hunks) {
    const oldLines: string[] = [];
    const newLines: string[] = [];
    let added = false;
    let deleted = false;
    for (const line of hunk.lines) {
      if (line.type !== "add") oldLines.push(line.text);
      if (line.type !== "del") newLines.push(line.text);
      if (line.type === "ctx") continue;
      changed = true;
      if (line.type === "add") added ||= !BLANK.test(line.text);
      else deleted ||= !BLANK.test(line.text);
    }
    // Text on one side only: something was added or removed (most hunks, decided without joining).
    if (added !== deleted) return false;
    // Blank lines alone change neither the text nor its nesting.
    if (!added) continue;
    if (indentation) {
      if (!sameNesting(oldLines, newLines)) return false;
    } else if (oldLines.join("").replace(/\s+/g, "") !== newLines.join("").replace(/\s+/g, "")) {
      return false;
    }
  }
  return changed;
}

/** Non-blank lines as (depth, text without whitespace): equal sequences mean the same program. */
function sameNesting(a: readonly string[], b: readonly string[]): boolean {
  const x = nesting(a);
  const y = nesting(b);
  if (x.length !== y.length) return false;
  return x.every((entry, i) => entry === y[i]);
}

function nesting(lines: readonly string[]): string[] {
  const out: string[] = [];
  const widths: number[] = [];
  for (const line of lines) {
    const content = line.replace(/\s+/g, "");
    if (content === "") continue;
    const width = /^[ \t]*/.exec(line)![0].replace(/\t/g, "        ").length;
    while (widths.length > 0 && widths[widths.length - 1]! > width) widths.pop();
    if (widths.length === 0 || widths[widths.length - 1]! < width) widths.push(width);
    out.push(`${widths.length}\u0000${content}`);
  }
  return out;
}
