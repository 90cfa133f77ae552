/**
 * The usage index (issue 14): which of a tracked project's public names the user's own code
 * uses, read from the user's tree in one pass. A commit of the tracked project whose facts
 * remove, rename, move or re-sign one of them "affects you" (match-usage.ts).
 *
 * The index is true or silent: a use is recorded only where the code names the project's
 * thing statically (an import and what is reached from it, a variable set, a flag passed on a
 * line that runs the project's command). `getattr`, string imports and reflection are counted
 * as `dynamic`, never claimed.
 */

/** What the tracked project offers that other code can name, read from its own tree. */
export interface ProjectIdentity {
  /** Python top-level import packages (`vllm`, `click`, `nixl`). */
  python: string[];
  /** npm package names (`hono`, `@scope/pkg`). */
  npm: string[];
  /** Rust crate names as `use` writes them (hyphens as underscores). */
  crates: string[];
  /** Go module paths (`github.com/go-task/task/v3`). */
  goModules: string[];
  /** C/C++ header file names the project ships, as `#include` writes them (`nixl.h`, `nixl/agent.h`). */
  headers: string[];
  /** Commands its CLI installs (`vllm`, `dynamo`); also `python -m <package>` for its Python packages. */
  commands: string[];
}

export type UsageLanguage = "python" | "typescript" | "javascript" | "rust" | "go" | "c" | "cpp";

/** A place in the user's code: `file` relative to the used-by root, 1-based line, the line trimmed (≤ 160 chars, secrets redacted, an assigned value replaced by `…`). */
export interface UseSite {
  file: string;
  line: number;
  text: string;
}

/**
 * A use of one of the project's code names. `module` is what the import statement names
 * (Python module `click` or `click.core`, npm specifier `hono/jsx`, Rust path's crate `nixl_sys`,
 * Go import path, C/C++ header); `path` is what the code reaches from it, in order:
 * `import click; click.core.Group` → module `click`, path ["core", "Group"];
 * `from click.core import Group as G; G.add_command(...)` → module `click.core`, path ["Group", "add_command"];
 * `a = nixl_agent(...); a.register_memory(...)` (same file, `a` a plain name or `self.x`) → path ["nixl_agent", "register_memory"], how "instance".
 */
export interface SymbolUse {
  kind: "symbol";
  language: UsageLanguage;
  module: string;
  path: string[];
  /** import: only imported; reference: named (a type, a value, a decorator); call: called; instance: a method or attribute reached through an instance made in the same file. */
  how: "import" | "reference" | "call" | "instance";
  /** For calls: the keyword (named) arguments passed, as written. */
  namedArgs?: string[];
  site: UseSite;
}

/** An environment variable the user's code or deployment sets (`.env`, Dockerfile `ENV`, `export X=`, Kubernetes `env:`, CI `env:`, `os.environ["X"] = …`). */
export interface EnvVarUse {
  kind: "env-var";
  name: string;
  site: UseSite;
}

/** A flag passed to one of the project's commands (a script, a Dockerfile, a manifest's `args`, a CI step). */
export interface CliFlagUse {
  kind: "cli-flag";
  /** With its dashes, as written: `--model`, `-m`. */
  name: string;
  /** The command the flag was passed to (`vllm`, `python -m vllm.entrypoints.api_server`). */
  command: string;
  site: UseSite;
}

/** A dotted key the user's YAML, TOML or JSON writes (`logging.level`). */
export interface ConfigKeyUse {
  kind: "config-key";
  name: string;
  site: UseSite;
}

export type Use = SymbolUse | EnvVarUse | CliFlagUse | ConfigKeyUse;
export type UseKind = Use["kind"];

export interface UsageIndex {
  /** Bumped when what the scanner reads changes: an index of another version is rebuilt. */
  version: number;
  /** The used-by path as configured, for the report ("../my-service"). */
  label: string;
  /** Absolute path that was scanned. */
  root: string;
  /** HEAD of the user's repository when scanned; absent for a folder outside git. */
  head?: string;
  scannedAt: string;
  files: number;
  lines: number;
  /** Languages whose code was read for symbol uses, and kinds looked for: what the report says was indexed. */
  languages: UsageLanguage[];
  kinds: UseKind[];
  uses: Use[];
  /** What was seen and not claimed: dynamic imports/getattr/reflection, files too large or unreadable. */
  skipped: { dynamic: number; unreadable: number; tooLarge: number };
}

export const USAGE_INDEX_VERSION = 2;

/** What one commit changes of what the user uses: one entry per changed name, with every use. */
export interface AffectedUse {
  kind: UseKind;
  /** The project's name as the facts write it (`Group.add_command`, `VLLM_ATTENTION_BACKEND`, `--backend`). */
  name: string;
  /** What the commit did to it, in words of the facts: removed, renamed, moved, signature, default, choices, modified, added. */
  change: "removed" | "renamed" | "moved" | "signature" | "default" | "choices" | "modified" | "added";
  /** One line from the facts (`parameter foo removed`, `renamed to NEW_NAME`, `default 4 → 8`), in the report's language. */
  detail: string;
  /** true: it can break the user's code (lifted to the top); false: worth knowing, mentioned only. */
  breaking: boolean;
  /** Where the tracked project's change stands. */
  origin: { file: string; line?: number };
  /** The user's uses it touches (the used-by label and a site each), at most a few, with the total. */
  uses: Array<{ label: string; site: UseSite }>;
  totalUses: number;
}

/** The summary a report gives of an index it used (the honest limits). */
export interface UsageSummary {
  label: string;
  head?: string;
  files: number;
  languages: UsageLanguage[];
  kinds: UseKind[];
  uses: number;
  dynamic: number;
}

/** The tracked project's tree at the reported branch tip: its paths, and a file's text. */
export interface ProjectTree {
  paths: readonly string[];
  read(path: string): Promise<string | undefined>;
}
