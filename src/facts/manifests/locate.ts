/**
 * Where in a manifest's text an entry stands. The parsers give values, not positions, so
 * each entry is found again by a search for its key path in the text: a light scan that
 * knows tables, dotted keys, strings and multi-line arrays, enough to point at a line.
 */

interface TomlLine {
  /** The table in effect, quotes stripped: `[target.'cfg(unix)'.dependencies]` → target, cfg(unix), dependencies. */
  table: string[];
  /** The key this line assigns (depth 0 only), as components: `tokio.workspace = true` → tokio, workspace. */
  key?: string[];
  /** A table header line. */
  header: boolean;
  /** Open brackets and braces before the line starts: above 0 inside a multi-line value. */
  depth: number;
  text: string;
}

export interface TomlIndex {
  /** 1-based line of the first line whose table + key begins with `path`, or of a header that does. */
  find(path: readonly string[]): number | undefined;
  /**
   * 1-based line of the `nth` (0-based) string inside the array at `path` that `match`
   * accepts: `dependencies = [ "pydantic>=2", ... ]`.
   */
  findInArray(path: readonly string[], match: (value: string) => boolean, nth?: number): number | undefined;
}

const HEADER = /^\s*\[\[?\s*(.+?)\s*\]\]?\s*(#.*)?$/;
const QUOTED = /"((?:[^"\\]|\\.)*)"|'([^']*)'/g;

/** `a."b.c".'d'` → a, b.c, d. */
function splitKey(text: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quote: string | undefined;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ".") {
      parts.push(current.trim());
      current = "";
    } else current += ch;
  }
  parts.push(current.trim());
  return parts;
}

/** The key before `=` on a line, when the line starts with one. */
function leadingKey(text: string): string[] | undefined {
  const m = /^\s*((?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=/.exec(text);
  return m ? splitKey(m[1]!) : undefined;
}

/** Bracket depth change over a line, outside strings and comments; also whether a `"""`/`'''` string stays open. */
function scanDepth(text: string, openMultiline: string | undefined): { delta: number; multiline: string | undefined } {
  let delta = 0;
  let i = 0;
  let multiline = openMultiline;
  while (i < text.length) {
    if (multiline) {
      const end = text.indexOf(multiline, i);
      if (end < 0) return { delta, multiline };
      i = end + 3;
      multiline = undefined;
      continue;
    }
    const ch = text[i]!;
    if (ch === "#") break;
    if ((ch === '"' || ch === "'") && text.startsWith(ch.repeat(3), i)) {
      multiline = ch.repeat(3);
      i += 3;
      continue;
    }
    if (ch === '"' || ch === "'") {
      i++;
      while (i < text.length && text[i] !== ch) i += ch === '"' && text[i] === "\\" ? 2 : 1;
      i++;
      continue;
    }
    if (ch === "[" || ch === "{") delta++;
    else if (ch === "]" || ch === "}") delta--;
    i++;
  }
  return { delta, multiline };
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((part, i) => path[i] === part);
}

export function indexToml(text: string): TomlIndex {
  const lines: TomlLine[] = [];
  let table: string[] = [];
  let depth = 0;
  let multiline: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const lineDepth = multiline ? Math.max(depth, 1) : depth;
    const header = lineDepth === 0 ? HEADER.exec(raw) : null;
    if (header) {
      table = splitKey(header[1]!);
      lines.push({ table, header: true, depth: 0, text: raw });
      continue;
    }
    const key = lineDepth === 0 ? leadingKey(raw) : undefined;
    lines.push(key ? { table, key, header: false, depth: lineDepth, text: raw } : { table, header: false, depth: lineDepth, text: raw });
    const scanned = scanDepth(raw, multiline);
    depth = Math.max(0, depth + scanned.delta);
    multiline = scanned.multiline;
  }

  const findIndex = (path: readonly string[]): number => {
    // Entries first; a header only when no key line matched (a `[dependencies.tokio]` table).
    let headerAt = -1;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.header) {
        if (headerAt < 0 && startsWith(l.table, path)) headerAt = i;
        continue;
      }
      if (l.key && startsWith([...l.table, ...l.key], path) && l.table.length <= path.length) return i;
    }
    return headerAt;
  };

  return {
    find(path) {
      const i = findIndex(path);
      return i < 0 ? undefined : i + 1;
    },
    findInArray(path, match, nth = 0) {
      const start = findIndex(path);
      if (start < 0 || lines[start]!.header) return undefined;
      let seen = 0;
      for (let i = start; i < lines.length; i++) {
        const l = lines[i]!;
        if (i > start && l.depth === 0) break;
        const body = i === start ? l.text.slice(l.text.indexOf("=") + 1) : l.text;
        for (const m of body.replace(/(^|\s)#.*$/, "").matchAll(QUOTED)) {
          if (match(m[1] ?? m[2] ?? "") && seen++ === nth) return i + 1;
        }
      }
      return undefined;
    },
  };
}

/**
 * The 1-based line of each object key in a JSON text, by its path from the top-level object
 * (keys joined with NUL; array elements count as an empty key), first occurrence kept.
 */
export function indexJsonKeys(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const stack: string[] = [];
  const kinds: Array<"object" | "array"> = [];
  let pendingKey: string | undefined;
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "\n") {
      line++;
      i++;
      continue;
    }
    if (ch === '"') {
      const startLine = line;
      let value = "";
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\") {
          value += text.slice(i, i + 2);
          i += 2;
          continue;
        }
        if (text[i] === "\n") line++;
        value += text[i];
        i++;
      }
      i++;
      let j = i;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      if (text[j] === ":" && kinds[kinds.length - 1] === "object") {
        let key = value;
        try {
          key = JSON.parse(`"${value}"`) as string;
        } catch {
          // Keep the raw text: an odd escape only costs the line.
        }
        pendingKey = key;
        const path = [...stack.slice(1), key].join("\u0000");
        if (!out.has(path)) out.set(path, startLine);
      }
      continue;
    }
    if (ch === "{" || ch === "[") {
      stack.push(kinds[kinds.length - 1] === "array" ? "" : (pendingKey ?? ""));
      kinds.push(ch === "{" ? "object" : "array");
      pendingKey = undefined;
    } else if (ch === "}" || ch === "]") {
      stack.pop();
      kinds.pop();
      pendingKey = undefined;
    } else if (ch === ",") pendingKey = undefined;
    i++;
  }
  return out;
}
