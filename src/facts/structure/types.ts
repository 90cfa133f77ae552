/**
 * The structural view of one version of one file: its definitions with their scope,
 * visibility, signature and a fingerprint of their text, read from a tree-sitter parse.
 * Two such views (before and after a commit) are compared in diff-structure.ts; the
 * language adapters (one folder per language) only read one version.
 */
import type { Node, Tree } from "web-tree-sitter";
import type { SymbolKind } from "../types.js";

export type Visibility = "public" | "internal" | "private";

export type ScopeKind = "class" | "struct" | "enum" | "interface" | "trait" | "impl" | "module" | "namespace" | "function";

export interface Scope {
  kind: ScopeKind;
  name: string;
}

export interface ParameterDef {
  name: string;
  /** The annotation or declared type, whitespace collapsed; absent when the language or the code gives none. */
  type?: string;
  /** The default value as written, whitespace collapsed. */
  default?: string;
  /** `*args`, `**kwargs`, `...rest`, C varargs: callers are not broken by what these absorb. */
  variadic?: boolean;
  /** Python keyword-only or positional-only markers are not parameters; self/cls/this receivers are left out. */
}

export interface SignatureDef {
  parameters: ParameterDef[];
  /** Return type as written, whitespace collapsed. */
  returns?: string;
  /** Modifiers that change how callers use it: `async`, `static`, `const`, `unsafe`, `virtual`, `abstract`... sorted. */
  modifiers: string[];
}

export interface SymbolDef {
  /**
   * Qualified as the language writes a reference to it, scopes joined: `Agent.make_connection`
   * (Python, TS/JS, Go methods as `Type.Method`), `OptArgs::set_notification_message` (Rust,
   * C++ with namespaces: `nixl::Agent::createXferReq`).
   */
  name: string;
  /** The definition's own name, unqualified. */
  shortName: string;
  kind: SymbolKind;
  /** Enclosing definitions and namespaces, outermost first. Namespaces are scopes, never symbols. */
  scope: Scope[];
  /**
   * What the language's own rules say, in this file alone: Python's leading underscore and
   * `__all__`, TS/JS `export`, Rust `pub` (`pub(crate)` is internal), Go capitalisation,
   * C++ access specifiers and anonymous namespaces. Whether the file itself is reachable
   * (a public header, a non-internal package) is decided per path, in reach.ts.
   */
  visibility: Visibility;
  /** For functions, methods and constructors; absent otherwise. */
  signature?: SignatureDef;
  /** The definition's text with whitespace and comments removed: equal means the code did not change. */
  fingerprint: string;
  /** The fingerprint with the definition's own name blanked, so that a rename compares equal. */
  shape: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
}

export type CliFramework = "argparse" | "click" | "typer" | "clap" | "cobra" | "flag" | "pflag" | "commander" | "yargs";

/** One command-line option as the code declares it. */
export interface CliFlagDef {
  /** The long name with its dashes (`--backend`), else the short one (`-b`). */
  name: string;
  /** Other spellings of the same option (`-b`). */
  aliases: string[];
  /** Allowed values as written (string contents without quotes), where the declaration lists them. */
  choices?: string[];
  /** The default as written, whitespace collapsed. */
  default?: string;
  /** Where its value goes (argparse `dest`, clap field, cobra variable), to tell a rename from a removal. */
  dest?: string;
  framework: CliFramework;
  /**
   * Which parser declares it, where one file builds several (argparse subcommands built in
   * functions, one FlagSet per command): the enclosing function and the receiver, so that
   * `--isl` of one subcommand is compared with `--isl` of the same subcommand.
   */
  group?: string;
  /** 1-based line of the declaration. */
  line: number;
}

export interface FileStructure {
  symbols: SymbolDef[];
  cliFlags: CliFlagDef[];
  /** Go's `package` clause; Rust/Python/TS leave it out. `main` is never an importable API. */
  packageName?: string;
  /** Python `__all__` as written, when the module defines one (already applied to `visibility`). */
  exportList?: string[];
  /** ERROR and MISSING nodes in the parse: a file with many is read, but its absence of symbols proves nothing. */
  errorCount: number;
}

/** What an adapter knows besides the text: the file's path (for a header's language, a test module's name). */
export interface ReadContext {
  path: string;
}

/**
 * One language. Adapters are registered in registry.ts keyed by `id`; each lives in a
 * folder of its own with its tests. `read` must be a pure function of the tree and text.
 */
export interface LanguageAdapter {
  readonly id: StructureLanguage;
  /** Display name, as `FileFacts.language` writes it. */
  readonly language: string;
  /** The WebAssembly grammar: the npm package and the file inside it. */
  readonly grammar: { package: string; file: string };
  /** Lower-cased file extensions (no dot) this adapter reads. */
  readonly extensions: readonly string[];
  read(tree: Tree, source: string, context: ReadContext): FileStructure;
}

export type StructureLanguage = "python" | "typescript" | "tsx" | "javascript" | "rust" | "go" | "c" | "cpp";

/** Helpers adapters share; see normalize.ts. */
export type { Node, Tree };
