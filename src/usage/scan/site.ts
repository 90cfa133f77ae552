/**
 * The `UseSite` of a use: the line trimmed, at most 160 characters, with secrets redacted and,
 * for an assignment, the value replaced by `…` before anything else sees it: the index is stored
 * and printed in reports, and a `.env` file holds secrets.
 */
import { redactText } from "../../secrets/index.js";
import type { UseSite } from "../types.js";

const MAX = 160;

/** One file's lines already redacted: a line with several uses is redacted once. */
let cacheFile = "";
const cache = new Map<string, string>();

export function makeSite(file: string, line: number, text: string): UseSite {
  if (file !== cacheFile) {
    cache.clear();
    cacheFile = file;
  }
  let clean = cache.get(text);
  if (clean === undefined) {
    clean = redactText(text, { path: file }).text.trim();
    cache.set(text, clean);
  }
  if (clean.length > MAX) clean = `${clean.slice(0, MAX - 1)}…`;
  return { file, line, text: clean };
}

/**
 * The line with every shell-style `NAME=value` assignment's value (and `NAME: value` for YAML)
 * replaced by `…`: `export KEY=sk-1 vllm` → `export KEY=… vllm`.
 */
export function maskAssignments(line: string): string {
  return line.replace(/((?:^|[\s;&|(])(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*=)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s;&|)]*)/g, (_, head: string, value: string) => (value === "" ? head : `${head}…`));
}

/** The text of line `n` (1-based). */
export function lineAt(lines: readonly string[], n: number): string {
  return lines[n - 1] ?? "";
}
