/**
 * The usage index of one used-by path (issue 14): one pass over the user's files, each read
 * once by the one reader that accepts it (registry.ts). Deterministic: uses sorted by file,
 * line and kind and de-duplicated, so that two scans of one tree give equal JSON.
 */
import { lstat, open } from "node:fs/promises";
import { join, resolve } from "node:path";
import { USAGE_INDEX_VERSION, type ProjectIdentity, type UsageIndex, type UsageLanguage, type Use, type UseKind } from "../types.js";
import { isGitWorkTree, listFiles, readHead } from "./list-files.js";
import { readerFor } from "./registry.js";

const MAX_BYTES = 1024 * 1024;
/** Like git's own test (xdiff's buffer_is_binary): a NUL in the first 8000 bytes. */
const BINARY_PROBE = 8000;

export interface ScanInput {
  root: string;
  label: string;
  identity: ProjectIdentity;
  head?: string;
  /** The clock, for `scannedAt`. */
  now?: () => Date;
}

export async function scanUsage(input: ScanInput): Promise<UsageIndex> {
  const root = resolve(input.root);
  const git = await isGitWorkTree(root);
  const head = input.head ?? (git ? await readHead(root) : undefined);
  const paths = await listFiles(root, git);
  const skipped = { dynamic: 0, unreadable: 0, tooLarge: 0 };
  const languages = new Set<UsageLanguage>();
  const kinds = new Set<UseKind>();
  const uses: Use[] = [];
  let files = 0;
  let lines = 0;
  for (const path of paths) {
    const reader = readerFor(path);
    if (!reader) continue;
    const text = await readText(join(root, path), skipped);
    if (text === undefined) continue;
    let result;
    try {
      result = await reader.read({ path, text }, input.identity);
    } catch {
      // A file the parser could not read is a gap, not a failed scan.
      skipped.unreadable++;
      continue;
    }
    files++;
    lines += countLines(text);
    if (reader.language) languages.add(reader.language);
    for (const kind of reader.kinds) kinds.add(kind);
    skipped.dynamic += result.dynamic;
    uses.push(...result.uses);
  }
  const index: UsageIndex = {
    version: USAGE_INDEX_VERSION,
    label: input.label,
    root,
    scannedAt: (input.now?.() ?? new Date()).toISOString(),
    files,
    lines,
    languages: [...languages].sort(),
    kinds: [...kinds].sort(),
    uses: sortUses(uses),
    skipped,
  };
  if (head) index.head = head;
  return index;
}

/** The text of a regular file, or undefined (counted) when it is a link, too large, binary or unreadable. */
async function readText(full: string, skipped: UsageIndex["skipped"]): Promise<string | undefined> {
  try {
    const stats = await lstat(full);
    // Links are never followed (a target inside the root is listed itself); gitlinks are folders.
    if (!stats.isFile()) return undefined;
    if (stats.size > MAX_BYTES) {
      skipped.tooLarge++;
      return undefined;
    }
    const handle = await open(full, "r");
    try {
      const buffer = await handle.readFile();
      if (buffer.subarray(0, BINARY_PROBE).includes(0)) return undefined;
      return buffer.toString("utf8");
    } finally {
      await handle.close();
    }
  } catch (error) {
    // Listed by git but deleted from the work tree since: not there, nothing to count.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    skipped.unreadable++;
    return undefined;
  }
}

function countLines(text: string): number {
  let n = text.length > 0 && !text.endsWith("\n") ? 1 : 0;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) n++;
  return n;
}

const KIND_ORDER: Record<UseKind, number> = { symbol: 0, "env-var": 1, "cli-flag": 2, "config-key": 3 };

export function sortUses(uses: readonly Use[]): Use[] {
  const keyed = new Map<string, Use>();
  for (const use of uses) keyed.set(JSON.stringify(use), use);
  return [...keyed.entries()]
    .sort(([ka, a], [kb, b]) => (a.site.file < b.site.file ? -1 : a.site.file > b.site.file ? 1 : a.site.line - b.site.line || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (ka < kb ? -1 : ka > kb ? 1 : 0)))
    .map(([, use]) => use);
}
