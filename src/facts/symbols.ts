/**
 * Definitions added, removed or changed, read from the definition lines that a patch adds
 * or removes. Limits, by design of a line-based reader:
 * - a body edited under an unchanged definition line is not a symbol change here;
 * - the enclosing class/impl of a method is read from the lines the hunk shows, else from
 *   the hunk header git writes (the last unindented line above the hunk), else left out;
 * - TypeScript/JavaScript class members and C++ in-class methods are not read (only
 *   top-level or exported declarations, and `Type::method` definitions at column 0);
 * - Rust trait-impl methods carry no `pub` and count as not exported;
 * - a definition removed and added with the same text moved, and is not reported;
 * - Java and Kotlin are not read.
 */
import type { FileChange } from "../sources/types.js";
import type { SymbolChange, SymbolKind } from "./types.js";
import { baseName, codeOnly, detectFamily, parsePatch } from "./patch-scan.js";
import type { Change, HunkSide, LanguageFamily, ParsedPatch } from "./patch-scan.js";

interface Definition {
  name: string;
  kind: SymbolKind;
  exported: boolean;
  /** Index into the side's lines. */
  index: number;
}

interface Found extends Omit<Definition, "index"> {
  change: Change;
  line: number;
  text: string;
}

type SideReader = (side: HunkSide, path: string) => Definition[];

const READERS: Partial<Record<LanguageFamily, SideReader>> = {
  python: readPython,
  js: readTypeScript,
  rust: readRust,
  go: readGo,
  c: readCFamily,
};

const DISPLAY_NAMES: Partial<Record<LanguageFamily, string>> = {
  python: "Python",
  rust: "Rust",
  go: "Go",
  c: "C",
};

/** `patch` is the file's patch, parsed once by the caller and shared with the other extractors. */
export function extractSymbolChanges(
  file: FileChange,
  language: string | undefined,
  patch: ParsedPatch = parsePatch(file.patch),
): SymbolChange[] {
  const family = detectFamily(file.path, language);
  const read = family === undefined ? undefined : READERS[family];
  if (!read || file.binary || file.patch === "") return [];
  const found: Found[] = [];
  for (const side of patch.sides) {
    if (!side.hasChangedLines) continue;
    for (const def of read(side, file.path)) {
      const line = side.lines[def.index]!;
      if (!line.changed) continue;
      found.push({ name: def.name, kind: def.kind, exported: def.exported, change: side.change, line: line.line, text: line.text.trim() });
    }
  }
  const shownLanguage = language ?? displayName(family!, file.path);
  return mergeSides(found).map((f) => ({
    name: f.name,
    kind: f.kind,
    language: shownLanguage,
    change: f.change,
    exported: f.exported,
    basis: "patch" as const,
    origin: { file: file.path, line: f.line },
  }));
}

function displayName(family: LanguageFamily, path: string): string {
  if (family === "js") return /\.[mc]?tsx?$/.test(path) ? "TypeScript" : "JavaScript";
  return DISPLAY_NAMES[family] ?? family;
}

/** A name on both sides is "modified" (reported at its new line) unless its definition line is unchanged: then it moved. */
function mergeSides(found: readonly Found[]): Array<Omit<Found, "change"> & { change: SymbolChange["change"] }> {
  const byName = new Map<string, { removed?: Found; added?: Found }>();
  for (const f of found) {
    const entry = byName.get(f.name) ?? {};
    entry[f.change] ??= f;
    byName.set(f.name, entry);
  }
  const out: Array<Omit<Found, "change"> & { change: SymbolChange["change"] }> = [];
  for (const { removed, added } of byName.values()) {
    if (removed && added) {
      if (removed.text !== added.text) out.push({ ...added, change: "modified" });
    } else {
      out.push((added ?? removed)!);
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

function indentOf(text: string): number {
  return /^[ \t]*/.exec(text)![0].replace(/\t/g, "    ").length;
}

/** Enclosing blocks by indentation, as far as the hunk shows them. */
class Scopes<T> {
  private readonly stack: Array<{ indent: number; value: T }> = [];
  enter(indent: number, value: T): void {
    this.stack.push({ indent, value });
  }
  /** The innermost block that encloses a line at this indentation. */
  enclosing(indent: number): T | undefined {
    while (this.stack.length > 0 && this.stack[this.stack.length - 1]!.indent >= indent) this.stack.pop();
    return this.stack[this.stack.length - 1]?.value;
  }
}

// --- Python: https://docs.python.org/3/reference/compound_stmts.html#function-definitions

const PY_DEF = /^([ \t]*)(async\s+def|def|class)\s+([A-Za-z_]\w*)/;

function readPython(side: HunkSide): Definition[] {
  const defs: Definition[] = [];
  const scopes = new Scopes<{ kind: "class" | "def"; name: string }>();
  // git's hunk header holds the last unindented line above the hunk: a class or a def.
  const header = indentOf(side.context) === 0 ? PY_DEF.exec(side.context) : null;
  const outer = header ? { kind: header[2] === "class" ? ("class" as const) : ("def" as const), name: header[3]! } : undefined;
  side.lines.forEach((l, index) => {
    const m = PY_DEF.exec(l.text);
    if (!m) return;
    const indent = indentOf(l.text);
    const keyword = m[2]!;
    const name = m[3]!;
    const parent = scopes.enclosing(indent) ?? (indent > 0 ? outer : undefined);
    scopes.enter(indent, { kind: keyword === "class" ? "class" : "def", name });
    const isPublic = !name.startsWith("_");
    if (keyword === "class") {
      defs.push({ name, kind: "class", exported: isPublic && parent === undefined, index });
    } else if (parent?.kind === "class") {
      defs.push({ name: `${parent.name}.${name}`, kind: "method", exported: isPublic && !parent.name.startsWith("_"), index });
    } else if (parent?.kind === "def") {
      defs.push({ name, kind: "function", exported: false, index });
    } else {
      // Indented with no enclosing line in sight: most such defs are methods.
      defs.push({ name, kind: indent > 0 ? "method" : "function", exported: isPublic, index });
    }
  });
  return defs;
}

// --- TypeScript / JavaScript

const TS_NAME = String.raw`([A-Za-z_$][\w$]*)`;
const TS_DEFINITIONS: Array<[RegExp, SymbolKind]> = [
  [new RegExp(String.raw`^\s*(export\s+(?:default\s+)?)?(?:declare\s+)?(?:async\s+)?function\s*\*?\s*${TS_NAME}`), "function"],
  [new RegExp(String.raw`^\s*(export\s+(?:default\s+)?)?(?:declare\s+)?(?:abstract\s+)?class\s+${TS_NAME}`), "class"],
  [new RegExp(String.raw`^\s*(export\s+)?(?:declare\s+)?interface\s+${TS_NAME}`), "interface"],
  [new RegExp(String.raw`^\s*(export\s+)?(?:declare\s+)?type\s+${TS_NAME}\s*(?:<.*>)?\s*=`), "type"],
  [new RegExp(String.raw`^\s*(export\s+)?(?:declare\s+)?(?:const\s+)?enum\s+${TS_NAME}`), "enum"],
  [
    new RegExp(
      String.raw`^\s*(export\s+)?(?:const|let|var)\s+${TS_NAME}\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::\s*[^=]+?)?\s*=>|\($)`,
    ),
    "function",
  ],
];

function readTypeScript(side: HunkSide): Definition[] {
  const defs: Definition[] = [];
  side.lines.forEach((l, index) => {
    // Each line is read on its own, and only changed lines count.
    if (!l.changed) return;
    for (const [pattern, kind] of TS_DEFINITIONS) {
      const m = pattern.exec(l.text);
      if (!m) continue;
      const exported = m[1] !== undefined;
      // Indented and not exported: a local helper inside a function body.
      if (exported || indentOf(l.text) === 0) defs.push({ name: m[2]!, kind, exported, index });
      return;
    }
  });
  return defs;
}

// --- Rust: https://doc.rust-lang.org/reference/items.html

const RUST_VIS = String.raw`^([ \t]*)(pub(?:\s*\([^)]*\))?\s+)?`;
const RUST_DEFINITIONS: Array<[RegExp, SymbolKind]> = [
  [
    new RegExp(RUST_VIS + String.raw`(?:default\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?(?:extern\s+"[^"]*"\s+)?fn\s+([A-Za-z_]\w*)`),
    "function",
  ],
  [new RegExp(RUST_VIS + String.raw`(?:struct|union)\s+([A-Za-z_]\w*)`), "struct"],
  [new RegExp(RUST_VIS + String.raw`enum\s+([A-Za-z_]\w*)`), "enum"],
  [new RegExp(RUST_VIS + String.raw`(?:unsafe\s+)?(?:auto\s+)?trait\s+([A-Za-z_]\w*)`), "trait"],
  [new RegExp(RUST_VIS + String.raw`type\s+([A-Za-z_]\w*)`), "type"],
  [new RegExp(RUST_VIS + String.raw`const\s+([A-Za-z_]\w*)\s*:`), "constant"],
  [new RegExp(RUST_VIS + String.raw`static\s+(?:mut\s+)?([A-Za-z_]\w*)\s*:`), "constant"],
  [new RegExp(RUST_VIS + String.raw`mod\s+([A-Za-z_]\w*)\s*[;{]`), "module"],
  [/^([ \t]*)(#\[macro_export\]\s*)?macro_rules!\s*([A-Za-z_]\w*)/, "macro"],
];
const RUST_IMPL = /^[ \t]*(?:unsafe\s+)?impl\b(?:\s*<.*?>)?\s+(?:!?[\w:]+(?:<.*?>)?\s+for\s+)?(?:[\w]+::)*(\w+)/;
const RUST_TRAIT = /^[ \t]*(?:pub(?:\s*\([^)]*\))?\s+)?(?:unsafe\s+)?trait\s+(\w+)/;
const RUST_MOD = /^[ \t]*(?:pub(?:\s*\([^)]*\))?\s+)?mod\s+\w+\s*\{/;
const RUST_FN = /\bfn\s+\w+/;
/** A word every pattern above needs: a line without one defines nothing and opens no scope. */
const RUST_ITEM_WORD = /\b(?:fn|struct|union|enum|trait|type|const|static|mod|impl)\b|macro_rules!/;

type RustScope = { kind: "impl" | "mod" | "fn"; name: string };

function readRustScope(text: string): RustScope | undefined {
  const impl = RUST_IMPL.exec(text) ?? RUST_TRAIT.exec(text);
  if (impl) return { kind: "impl", name: impl[1]! };
  if (RUST_MOD.test(text)) return { kind: "mod", name: "" };
  if (RUST_FN.test(text) && !text.trimEnd().endsWith(";")) return { kind: "fn", name: "" };
  return undefined;
}

function readRust(side: HunkSide): Definition[] {
  const defs: Definition[] = [];
  const scopes = new Scopes<RustScope>();
  const outer = indentOf(side.context) === 0 ? readRustScope(side.context) : undefined;
  side.lines.forEach((l, index) => {
    if (!RUST_ITEM_WORD.test(l.text)) return;
    const indent = indentOf(l.text);
    const scope = readRustScope(l.text);
    for (const [pattern, kind] of RUST_DEFINITIONS) {
      const m = pattern.exec(l.text);
      if (!m) continue;
      const parent = scopes.enclosing(indent) ?? (indent > 0 ? outer : undefined);
      const exported =
        kind === "macro"
          ? m[2] !== undefined || side.lines[index - 1]?.text.trim() === "#[macro_export]"
          : m[2] !== undefined && /^pub\s+$/.test(m[2]);
      if (kind === "function" && parent?.kind === "impl") {
        defs.push({ name: `${parent.name}::${m[3]}`, kind: "method", exported, index });
      } else if (kind === "function" && parent === undefined && indent > 0) {
        defs.push({ name: m[3]!, kind: "method", exported, index });
      } else if (kind === "type" && parent?.kind === "impl") {
        // An associated type (`type Output = ...`) belongs to its impl, not the module.
      } else {
        defs.push({ name: m[3]!, kind, exported: exported && parent?.kind !== "fn", index });
      }
      break;
    }
    if (scope) {
      scopes.enclosing(indent);
      scopes.enter(indent, scope);
    }
  });
  return defs;
}

// --- Go: https://go.dev/ref/spec#Declarations_and_scope

const GO_FUNC = /^func\s+(?:\(\s*(?:\w+\s+)?\*?\s*([A-Za-z_]\w*)(?:\[[^\]]*\])?\s*\)\s*)?([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\(/;
const GO_TYPE = /^type\s+([A-Za-z_]\w*)(?:\[[^\]]*\])?\s+(struct|interface\b|=?\s*[\w*[\]]|func\b|map\b|chan\b)/;
const GO_BLOCK_TYPE = /^\t([A-Za-z_]\w*)(?:\[[^\]]*\])?\s+(struct|interface)\b/;

function isGoExported(name: string): boolean {
  return /^[A-Z]/.test(name);
}

function readGo(side: HunkSide): Definition[] {
  const defs: Definition[] = [];
  let inTypeBlock = false;
  side.lines.forEach((l, index) => {
    if (/^type\s*\(\s*$/.test(l.text)) inTypeBlock = true;
    else if (/^\)/.test(l.text)) inTypeBlock = false;
    const fn = GO_FUNC.exec(l.text);
    if (fn) {
      const receiver = fn[1];
      const name = fn[2]!;
      defs.push(
        receiver
          ? { name: `${receiver}.${name}`, kind: "method", exported: isGoExported(name) && isGoExported(receiver), index }
          : { name, kind: "function", exported: isGoExported(name), index },
      );
      return;
    }
    const type = GO_TYPE.exec(l.text) ?? (inTypeBlock ? GO_BLOCK_TYPE.exec(l.text) : null);
    if (type) {
      const shape = type[2]!.trim();
      const kind: SymbolKind = shape === "struct" ? "struct" : shape === "interface" ? "interface" : "type";
      defs.push({ name: type[1]!, kind, exported: isGoExported(type[1]!), index });
    }
  });
  return defs;
}

// --- C, C++, CUDA

const C_NOT_TYPES = /^(return|else|if|while|for|switch|case|goto|typedef|using|delete|new|throw|co_return|sizeof|do|template|public|private|protected)\b/;
const C_NOT_NAMES = new Set(["if", "for", "while", "switch", "return", "sizeof", "catch", "defined", "decltype", "alignof", "static_assert"]);
const C_FUNCTION = /^((?:[A-Za-z_][\w:]*(?:<[^;(){}]*>)?[\s*&]+)+?)((?:[A-Za-z_]\w*::)*~?[A-Za-z_]\w*)\s*\(/;
const C_TYPE =
  /^\s*(?:typedef\s+)?(?:template\s*<[^>]*>\s*)?(class|struct|union|enum(?:\s+class|\s+struct)?|namespace)\s+(?:alignas\([^)]*\)\s*|__attribute__\(\([^)]*\)\)\s*|[A-Z][A-Z0-9_]*_API\s+)?([A-Za-z_][\w:]*)\s*(?:final\s*)?(?::[^;{]*)?(\{.*)?$/;
const C_HEADER = /\.(h|hh|hpp|hxx|cuh|inl)$/i;

function readCFamily(side: HunkSide, path: string): Definition[] {
  const defs: Definition[] = [];
  const header = C_HEADER.test(baseName(path));
  side.lines.forEach((l, index) => {
    // Each line is read on its own (the text after it only for its ending), and only changed lines count.
    if (!l.changed) return;
    const type = C_TYPE.exec(l.text);
    if (type) {
      const keyword = type[1]!;
      const kind: SymbolKind = keyword === "namespace" ? "module" : keyword.startsWith("enum") ? "enum" : keyword === "class" ? "class" : "struct";
      defs.push({ name: type[2]!, kind, exported: header, index });
      return;
    }
    const fn = C_FUNCTION.exec(l.text);
    if (!fn || C_NOT_TYPES.test(l.text) || C_NOT_NAMES.has(fn[2]!.replace(/^.*::/, ""))) return;
    const joined = side.joined;
    const ending = readAfterParameters(joined.text, joined.startOf(index) + fn[0].length);
    // A prototype declares in a header; elsewhere it is a forward declaration.
    if (ending === ";" && !header) return;
    if (ending === "other") return;
    const name = fn[2]!;
    const isStatic = /\bstatic\b/.test(fn[1]!);
    defs.push({ name, kind: name.includes("::") ? "method" : "function", exported: header && !isStatic, index });
  });
  return defs;
}

/** What follows the parameter list that opens just before `from`: a body, a `;`, or something else (a call, a macro). */
function readAfterParameters(text: string, from: number): "{" | ";" | "other" | "unknown" {
  let depth = 1;
  let i = from;
  const limit = Math.min(text.length, from + 800);
  for (; i < limit && depth > 0; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
  }
  if (depth > 0) return "unknown";
  const rest = codeOnly(text.slice(i, i + 200), "c");
  const next = /^(?:\s|const\b|noexcept\b(?:\([^)]*\))?|override\b|final\b|volatile\b|&&?|->\s*[\w:<>*&\s]+?(?=[{;])|__\w+__\b(?:\(\([^)]*\)\))?|[A-Z_]+\b)*(.)/.exec(rest);
  const c = next?.[1];
  if (c === "{" || c === ":") return "{";
  if (c === ";") return ";";
  if (c === undefined) return "unknown";
  return c === "=" ? ";" : "other";
}
