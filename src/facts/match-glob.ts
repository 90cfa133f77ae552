/**
 * Path globs for `ignorePaths` and `criticalPaths`. Node 20 has no `path.matchesGlob`
 * (it came in 22), and picomatch is only in node_modules as a dependency of vite, not
 * of ours; the handful of rules users write in a config fits in a small converter.
 *
 * Semantics, close to .gitignore (https://git-scm.com/docs/gitignore#_pattern_format):
 * - `*` matches within one path segment, `?` one character of it, a `**` segment any
 *   number of whole segments (`a/**` is everything under `a`);
 * - `{a,b}` either alternative (not nested); an unclosed `{` is a plain character;
 * - a pattern without a `/` (other than a trailing one) matches a name at any depth:
 *   `*.min.js`, `ATTRIBUTIONS*`, `vendor`;
 * - a pattern matching a folder matches everything inside it: `third_party/` and
 *   `docs` both cover `docs/a/b.md`;
 * - a leading `/` or `./` anchors the pattern at the repository root.
 */

const compiled = new Map<string, RegExp>();

export function matchesGlob(path: string, pattern: string): boolean {
  const normalized = path.replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/^\/+/, "");
  const regex = compileGlob(pattern);
  if (regex === undefined) return false;
  // Try the path and each folder above it, so a folder pattern covers what it holds.
  const segments = normalized.split("/");
  for (let end = segments.length; end > 0; end--) {
    if (regex.test(segments.slice(0, end).join("/"))) return true;
  }
  return false;
}

export function matchesAnyGlob(path: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => matchesGlob(path, pattern));
}

/** The RegExp for one pattern, anchored at both ends; undefined for an empty pattern. */
export function globToRegExp(pattern: string): RegExp | undefined {
  let glob = pattern.trim().replace(/\\/g, "/");
  const anchored = glob.startsWith("/") || glob.startsWith("./");
  glob = glob.replace(/^(\.\/)+/, "").replace(/^\/+/, "").replace(/\/+$/, "");
  if (glob === "") return undefined;
  const floating = !anchored && !glob.includes("/");
  const body = convert(glob);
  return new RegExp(`^${floating ? "(?:.*/)?" : ""}${body}$`);
}

function compileGlob(pattern: string): RegExp | undefined {
  if (!compiled.has(pattern)) {
    const regex = globToRegExp(pattern);
    if (regex === undefined) return undefined;
    compiled.set(pattern, regex);
  }
  return compiled.get(pattern);
}

function convert(glob: string): string {
  let out = "";
  let inBraces = false;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === "*" && glob[i + 1] === "*") {
      const atSegmentStart = i === 0 || glob[i - 1] === "/";
      const atSegmentEnd = i + 2 === glob.length || glob[i + 2] === "/";
      if (atSegmentStart && atSegmentEnd) {
        if (glob[i + 2] === "/") {
          // `**/` : zero or more whole folders.
          out += "(?:[^/]*/)*";
          i += 2;
        } else {
          // trailing `**`: anything below (the folder itself is covered by matchesGlob).
          out += ".*";
          i += 1;
        }
        continue;
      }
      // `a**b` inside a segment is just a star.
      out += "[^/]*";
      i += 1;
      continue;
    }
    if (char === "*") out += "[^/]*";
    else if (char === "?") out += "[^/]";
    else if (char === "{" && !inBraces && glob.indexOf("}", i) > i) {
      inBraces = true;
      out += "(?:";
    } else if (char === "}" && inBraces) {
      inBraces = false;
      out += ")";
    } else if (char === "," && inBraces) out += "|";
    else out += char.replace(/[.+^$()|[\]\\{}]/g, "\\$&");
  }
  return out;
}
