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
  | "example"
  | "benchmark"
  | "tooling"
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
  "example",
  "benchmark",
  "tooling",
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
  /**
   * Source of a companion program that is not part of what users install: Python code
   * outside the folders the project's pyproject.toml ships (a data collector, a second
   * package). It runs, so its fixes and features count, but it defines no public API.
   */
  companion?: boolean;
  /** Nothing but whitespace changed (reindented, tabs to spaces, trailing spaces): nothing that runs changes. */
  formattingOnly?: boolean;
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
  /**
   * What the body says the change does, in the author's words: the bullets of a squash
   * merge, the items of a list, the first paragraph otherwise; trailers, sign-offs, bot
   * boilerplate and checklists dropped. At most a few short items.
   */
  points: string[];
  /** The PR title a merge commit's body carries (GitHub merge, bors), when the subject is only "Merge …". */
  prTitle?: string;
  /** Issues the message says it fixes or closes (`Fixes #12`, `Closes owner/repo#3`). */
  fixes: string[];
  /** The version a release commit announces (`chore(release): v2.10.0`, `Release 1.4.0`, `v4.6.0`). */
  releaseVersion?: string;
}

export type DependencyEcosystem = "npm" | "cargo" | "pypi" | "go" | "docker" | "github-actions" | "meson" | "cmake";

/** What a dependency is for: what users get (`runtime`), or only what developers, tests, docs or the build use. */
export type DependencyScope = "runtime" | "dev" | "build" | "optional" | "docs" | "peer";

export interface DependencyChange {
  ecosystem: DependencyEcosystem;
  name: string;
  scope: DependencyScope;
  /** One of the project's own packages (a workspace member, a path dependency): its version pin moves with a release, it is no third-party bump. */
  internal: boolean;
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

/**
 * Where a name is read or set decides what it is: read by product code, an environment
 * variable is configuration users can set; read only by tests, CI or the build, it is the
 * developers'; set by a Dockerfile `ENV` or a CI `env:` block, it is a value the project
 * gives, not one users give.
 */
export type SurfaceArea = "product" | "test" | "example" | "benchmark" | "tooling" | "build" | "ci" | "docs";

/** A name the code reads from outside: an environment variable, a command-line flag, a config key. */
export interface SurfaceChange {
  kind: SurfaceKind;
  name: string;
  /** changed: a flag whose choices or default changed; renamed: `detail.renamedFrom`. */
  change: "added" | "removed" | "changed" | "renamed";
  area: SurfaceArea;
  /** Environment variables: read by the code, or set (Dockerfile `ENV`, `.env` files, CI `env:`). */
  access?: "read" | "set";
  /**
   * Set by the platform, the toolchain or the CI system (`PATH`, `HOME`, `CARGO_PKG_VERSION`,
   * `GITHUB_TOKEN`): reading one is no new setting users choose.
   */
  wellKnown?: boolean;
  detail?: {
    choicesAdded?: string[];
    choicesRemoved?: string[];
    defaultFrom?: string;
    defaultTo?: string;
    renamedFrom?: string;
  };
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

/**
 * - added / removed: the definition exists on one side only (and was not moved or renamed);
 * - modified: same definition, its code changed (whitespace and comments do not count);
 * - signature: its parameters, defaults, return type, modifiers or visibility changed;
 * - moved: the same definition now stands elsewhere (another place in the file, or another file);
 * - renamed: the same code under a new name (`from.name` holds the old one).
 */
export type SymbolChangeKind = "added" | "removed" | "modified" | "signature" | "moved" | "renamed";

export interface SignatureChange {
  /** The signatures as one line each: `(a, b: int = 3) -> str`. */
  before: string;
  after: string;
  parametersAdded: Array<{ name: string; required: boolean }>;
  parametersRemoved: string[];
  defaultsChanged: Array<{ name: string; from?: string; to?: string }>;
  typesChanged: Array<{ name: string; from?: string; to?: string }>;
  returnsChanged?: { from?: string; to?: string };
  modifiersAdded: string[];
  modifiersRemoved: string[];
  /** Public before, not after (or the reverse). */
  visibility?: { from: string; to: string };
  /** Code written against the old signature may stop compiling or working. */
  breaking: boolean;
}

export interface SymbolChange {
  /** Qualified as the language writes it: `Agent.make_connection`, `OptArgs::set_notification_message`. */
  name: string;
  kind: SymbolKind;
  language: string;
  change: SymbolChangeKind;
  /**
   * Part of the project's public API: declared public by the language's rules, in a file
   * users can import (a public header, a non-internal package), of product code (never
   * tests, examples, benchmarks or tooling).
   */
  exported: boolean;
  /** `structure`: both versions parsed; `patch`: read from the definition lines of the patch, which cannot see moves far apart. */
  basis: "structure" | "patch";
  /** The enclosing class, impl, module or namespace, as written (`Agent`, `nixl::detail`). */
  scope?: string;
  origin: Origin;
  /** moved: where it was; renamed: where it was, and its old name. */
  from?: Origin & { name?: string };
  signature?: SignatureChange;
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

/** The project's own version, its toolchain, or its platform moved: what users build and install with changes. */
export interface VersionChange {
  kind: "project-version" | "toolchain";
  /** `version` of package.json/Cargo.toml/pyproject.toml, `rust-version`, `requires-python`, `go`, `engines.node`, a rust-toolchain channel... */
  name: string;
  from?: string;
  to?: string;
  origin: Origin;
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
  versions: VersionChange[];
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
    /** Source files of product code whose two versions could not be parsed: read from the patch alone. */
    structureFallback: Array<{ file: string; reason: string }>;
    /** Files whose contents could not be read (objects missing from the clone): no patch, no line counts. Absent when none. */
    unreadableFiles?: string[];
  };
}

/** Per-repository settings that shape the facts. */
export interface FactOptions {
  /** Glob patterns of paths that raise importance. */
  criticalPaths: string[];
  /** Glob patterns of paths left out of analysis (generated, vendored, attributions). */
  ignorePaths: string[];
}
