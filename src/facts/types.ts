/**
 * Facts: what a commit changes, extracted from its message and diff by rules alone.
 * Every fact names where it came from (the file, and the line in the new or old
 * version where one exists) so that a report can point at it and an LLM's answer can
 * be checked against it.
 */
import type { FileStatus, Person } from "../sources/types.js";

export type FileKind =
  | "source"
  | "test"
  | "docs"
  | "config"
  | "ci"
  | "build"
  | "manifest"
  | "lockfile"
  | "generated"
  | "vendored"
  | "asset"
  | "other";

export const FILE_KINDS: readonly FileKind[] = [
  "source",
  "test",
  "docs",
  "config",
  "ci",
  "build",
  "manifest",
  "lockfile",
  "generated",
  "vendored",
  "asset",
  "other",
];

/** Where a fact was read: a file, and a 1-based line in the new (or, for removals, old) version. */
export interface Origin {
  file: string;
  line?: number;
}

export interface FileFacts {
  path: string;
  oldPath?: string;
  status: FileStatus;
  additions: number;
  deletions: number;
  binary: boolean;
  submodule: boolean;
  /** Language by extension or name, e.g. "TypeScript", "Python", "Rust"; undefined when unknown. */
  language?: string;
  /** Module or package: the folder of the nearest manifest seen in the commit, else the top-level folder ("." for the root). */
  module: string;
  kind: FileKind;
  /** Set when only the file mode changed or changed too. */
  modeChange?: { from: string; to: string };
  patchTruncated: boolean;
  /** Matched one of the repo's ignore patterns: counted, never analysed. */
  ignored: boolean;
}

export interface MessageFacts {
  /** Conventional Commits type, lower-cased: feat, fix, docs, ... */
  type?: string;
  scope?: string;
  /** `!` after the type/scope, or a `BREAKING CHANGE:` footer. */
  breaking: boolean;
  breakingNote?: string;
  /** Bracket tags used instead of types, as written: ["Bugfix"], ["Core", "Perf"]. */
  tags: string[];
  /** The subject without type, scope, tags and trailing PR reference. */
  description: string;
  /** From `(#5492)` at the end of the subject, or `Merge pull request #12`. */
  prNumber?: number;
  /** From `This reverts commit <sha>.` */
  revertedSha?: string;
  isRevert: boolean;
  isMerge: boolean;
  coAuthors: Person[];
  signedOffBy: Person[];
  /** Author is a bot: dependabot, renovate, github-actions, pre-commit-ci, `[bot]` accounts. */
  isBot: boolean;
}

export type DependencyEcosystem = "npm" | "cargo" | "pypi" | "go" | "docker";

export interface DependencyChange {
  ecosystem: DependencyEcosystem;
  name: string;
  /** Version or constraint before, as written; undefined when added. */
  from?: string;
  /** Version or constraint after, as written; undefined when removed. */
  to?: string;
  change: "added" | "removed" | "upgraded" | "downgraded" | "changed";
  /** The major version moved (0.x minors count as major, as semver says). */
  major: boolean;
  origin: Origin;
}

export type SurfaceKind = "env-var" | "cli-flag" | "config-key";

/** A name the code reads from outside: an environment variable, a command-line flag, a config key. */
export interface SurfaceChange {
  kind: SurfaceKind;
  name: string;
  change: "added" | "removed";
  origin: Origin;
}

export type SymbolKind =
  | "function"
  | "method"
  | "class"
  | "struct"
  | "enum"
  | "trait"
  | "interface"
  | "type"
  | "constant"
  | "macro"
  | "module";

export interface SymbolChange {
  name: string;
  kind: SymbolKind;
  language: string;
  /** added/removed: the definition appears only in added/removed lines; a name in both is "modified". */
  change: "added" | "removed" | "modified";
  /** Visible outside its module: exported, pub, capitalised in Go, not _private in Python. */
  exported: boolean;
  origin: Origin;
}

export interface TestChange {
  /** Test function name, or the file path for a whole test file. */
  name: string;
  scope: "function" | "file";
  change: "added" | "removed";
  origin: Origin;
}

export type SignalKind =
  | "timeout"
  | "limit"
  | "process-exec"
  | "eval"
  | "unsafe"
  | "auth"
  | "crypto"
  | "secret"
  | "network-listen"
  | "permission";

/** A line worth a reviewer's eye, with the text that triggered it (trimmed, at most 160 characters). */
export interface Signal {
  kind: SignalKind;
  change: "added" | "removed";
  text: string;
  origin: Origin;
}

export interface KindTotals {
  files: number;
  additions: number;
  deletions: number;
}

export interface CommitFacts {
  sha: string;
  message: MessageFacts;
  files: FileFacts[];
  /** Modules touched, by lines changed, largest first. */
  modules: string[];
  totals: KindTotals & { byKind: Partial<Record<FileKind, KindTotals>> };
  dependencies: DependencyChange[];
  surface: SurfaceChange[];
  symbols: SymbolChange[];
  tests: TestChange[];
  /** Paths of docs files touched. */
  docs: string[];
  /** Paths of CI workflow files touched. */
  ci: string[];
  signals: Signal[];
  /** What was not seen in full, said in the report under the commit. */
  unseen: {
    /** Files whose patch text was cut at the cap; their counts are whole. */
    truncatedFiles: string[];
    /** Patch bytes dropped because the commit went over its total cap. */
    omittedPatchBytes: number;
    /** Files matched by the repo's ignore patterns. */
    ignoredFiles: string[];
  };
}

/** Per-repository settings that shape the facts. */
export interface FactOptions {
  /** Glob patterns of paths that raise importance. */
  criticalPaths: string[];
  /** Glob patterns of paths left out of analysis (generated, vendored, attributions). */
  ignorePaths: string[];
}
