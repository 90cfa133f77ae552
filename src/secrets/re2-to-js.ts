/**
 * Go RE2 patterns (https://github.com/google/re2/wiki/Syntax) as JavaScript pattern
 * sources without flags, for gitleaks' rules (scripts/update-gitleaks-rules.ts). Node 20's
 * RegExp has no inline modifiers, so `(?i)`, `(?i:…)` and `(?-i:…)` become explicit case
 * classes (`[aA]`); `(?s)` makes `.` match newlines; `\z` is `$` and `\A` is `^` (no `m`
 * flag is ever used); `(?P<name>` is `(?<name>`; POSIX classes are spelled out. What it
 * does not know it refuses, naming the construct: nothing is translated by guess.
 */

const POSIX: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  digit: "0-9",
  lower: "a-z",
  upper: "A-Z",
  space: "\\t\\n\\v\\f\\r ",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

interface Flags {
  ci: boolean;
  dotAll: boolean;
}

export function translateRe2(pattern: string): string {
  let out = "";
  let i = 0;
  // Flags in force per open group: RE2's `(?i)` holds until the enclosing group closes.
  const stack: Flags[] = [{ ci: false, dotAll: false }];
  const top = (): Flags => stack[stack.length - 1]!;
  const fail = (what: string): never => {
    throw new Error(`cannot translate ${what} at offset ${i} of ${pattern}`);
  };
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "\\") {
      const d = pattern[i + 1];
      if (d === undefined) fail("a trailing backslash");
      if (d === "z") out += "$";
      else if (d === "A") out += "^";
      else if (d === "x") {
        if (!/^[0-9A-Fa-f]{2}$/.test(pattern.slice(i + 2, i + 4))) fail("a \\x escape other than \\xHH");
        out += pattern.slice(i, i + 4);
        i += 4;
        continue;
      } else if ("dDwWsSbBnrtfv".includes(d!)) out += `\\${d}`;
      else if (/[A-Za-z0-9]/.test(d!)) fail(`the escape \\${d}`);
      else out += `\\${d}`;
      i += 2;
      continue;
    }
    if (c === "[") {
      const { source, end } = translateClass(pattern, i, top().ci, fail);
      out += source;
      i = end;
      continue;
    }
    if (c === "(") {
      if (pattern[i + 1] !== "?") {
        stack.push({ ...top() });
        out += "(";
        i += 1;
        continue;
      }
      const named = /^\(\?P?<([A-Za-z_]\w*)>/.exec(pattern.slice(i));
      if (named) {
        stack.push({ ...top() });
        out += `(?<${named[1]}>`;
        i += named[0].length;
        continue;
      }
      const flags = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(pattern.slice(i));
      if (!flags) return fail("a group");
      const [whole, on = "", off = "", close] = flags;
      for (const flag of on + off) if (flag !== "i" && flag !== "s") fail(`the flag ${flag}`);
      const state = close === ":" ? { ...top() } : top();
      if (on.includes("i")) state.ci = true;
      if (off.includes("i")) state.ci = false;
      if (on.includes("s")) state.dotAll = true;
      if (off.includes("s")) state.dotAll = false;
      if (close === ":") {
        stack.push(state);
        out += "(?:";
      }
      i += whole.length;
      continue;
    }
    if (c === ")") {
      if (stack.length === 1) fail("an unbalanced )");
      stack.pop();
      out += ")";
      i += 1;
      continue;
    }
    if (c === ".") {
      // RE2's `.` leaves out only \n; JavaScript's also \r, U+2028 and U+2029.
      out += top().dotAll ? "[^]" : "[^\\n]";
      i += 1;
      continue;
    }
    if (c === "{") {
      // RE2 reads a brace that starts no repetition as a literal.
      const repeat = /^\{\d+(?:,\d*)?\}/.exec(pattern.slice(i));
      out += repeat ? repeat[0] : "\\{";
      i += repeat ? repeat[0].length : 1;
      continue;
    }
    if (c === "}") out += "\\}";
    else if (c === "/") out += "\\/";
    else if (top().ci && /[A-Za-z]/.test(c)) out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    else out += c;
    i += 1;
  }
  if (stack.length !== 1) fail("an unclosed group");
  return out;
}

type ClassItem = string | [number, number];

/** The bracket expression starting at `start` (its `[`), case-folded when `ci`. */
function translateClass(pattern: string, start: number, ci: boolean, fail: (what: string) => never): { source: string; end: number } {
  let i = start + 1;
  const negated = pattern[i] === "^";
  if (negated) i += 1;
  const items: ClassItem[] = [];
  const readChar = (): number | string => {
    const c = pattern[i]!;
    if (c !== "\\") {
      i += 1;
      return c.codePointAt(0)!;
    }
    const d = pattern[i + 1];
    if (d === undefined) return fail("a trailing backslash in a class");
    if (d === "x") {
      const hex = pattern.slice(i + 2, i + 4);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) fail("a \\x escape other than \\xHH in a class");
      i += 4;
      return parseInt(hex, 16);
    }
    const controls: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11 };
    i += 2;
    if (controls[d] !== undefined) return controls[d];
    if ("dDwWsS".includes(d)) return `\\${d}`;
    if (/[A-Za-z0-9]/.test(d)) fail(`the escape \\${d} in a class`);
    return d.codePointAt(0)!;
  };
  let first = true;
  while (i < pattern.length && (pattern[i] !== "]" || first)) {
    first = false;
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(i));
    if (posix) {
      const spelled = POSIX[posix[2]!];
      if (posix[1] || spelled === undefined) fail(`the class [:${posix[1]}${posix[2]}:]`);
      items.push(spelled!);
      i += posix[0].length;
      continue;
    }
    const from = readChar();
    if (typeof from === "string") {
      items.push(from);
      continue;
    }
    if (pattern[i] === "-" && pattern[i + 1] !== "]" && pattern[i + 1] !== undefined) {
      i += 1;
      const to = readChar();
      if (typeof to === "string") fail("a range ending in a class escape");
      items.push([from, to as number]);
    } else items.push([from, from]);
  }
  if (pattern[i] !== "]") fail("an unclosed class");
  const ranges: Array<[number, number]> = [];
  for (const item of items) {
    if (typeof item === "string") continue;
    ranges.push(item);
    if (!ci) continue;
    // The other case of every letter in the range.
    for (const [lo, hi, shift] of [
      [97, 122, -32],
      [65, 90, 32],
    ] as const) {
      const a = Math.max(item[0], lo);
      const b = Math.min(item[1], hi);
      if (a <= b) ranges.push([a + shift, b + shift]);
    }
  }
  const body =
    items.filter((item): item is string => typeof item === "string").join("") +
    ranges.map(([a, b]) => (a === b ? classChar(a) : `${classChar(a)}-${classChar(b)}`)).join("");
  return { source: `[${negated ? "^" : ""}${body}]`, end: i + 1 };
}

function classChar(code: number): string {
  const ch = String.fromCodePoint(code);
  if (/\w/.test(ch)) return ch;
  if (code < 32 || code > 126) return `\\u${code.toString(16).padStart(4, "0")}`;
  return `\\${ch}`;
}
