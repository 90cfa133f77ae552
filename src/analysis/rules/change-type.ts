/**
 * What kind of change a commit is. The author's word comes first, most explicit
 * first: a Conventional Commits type (https://www.conventionalcommits.org/en/v1.0.0/),
 * a bracket tag such as `[Bugfix]`, a revert, a scope that names a category (`CI:`,
 * `tests/unit:`), then the verb the description opens with (`Fix ...`, `Add ...`, see
 * leading-verb.ts). The diff decides only when the message says nothing usable.
 */
import type { CommitFacts, FileKind } from "../../facts/types.js";
import type { ChangeType } from "../types.js";
import { classifyPublicApi, findRelease, hasAnyKind, hasOnlyKinds, listAnalysedFiles, listDependencies } from "./fact-queries.js";
import { readObjectType, readVerb, type VerbCondition } from "./leading-verb.js";

export type ChangeTypeSource = "conventional" | "tag" | "scope" | "verb" | "facts";

export interface ChangeTypeDecision {
  type: ChangeType;
  /** Where the type came from: the message's type, its bracket tag, its scope, its leading verb, or the diff. */
  source: ChangeTypeSource;
  /** For `verb`: the words of the message that decided, as written ("Fixed", "Improve … performance"). */
  words?: string;
}

interface DeclaredType {
  type: ChangeType;
  /**
   * `chore` is the catch-all type: when the diff is plainly one thing (docs only, a
   * dependency bump only), the diff's answer is the more precise one.
   */
  refinable?: boolean;
}

const CONVENTIONAL_TYPES: ReadonlyMap<string, DeclaredType> = new Map([
  ["feat", { type: "feature" }],
  ["feature", { type: "feature" }],
  ["fix", { type: "bugfix" }],
  ["bugfix", { type: "bugfix" }],
  ["hotfix", { type: "bugfix" }],
  ["docs", { type: "docs" }],
  ["doc", { type: "docs" }],
  ["refactor", { type: "refactor" }],
  ["perf", { type: "performance" }],
  ["test", { type: "test" }],
  ["tests", { type: "test" }],
  ["build", { type: "build" }],
  ["ci", { type: "ci" }],
  ["chore", { type: "chore", refinable: true }],
  ["style", { type: "style" }],
  ["revert", { type: "revert" }],
  ["deps", { type: "dependency" }],
  ["config", { type: "config" }],
]);

/**
 * Scopes that mark a dependency bump whatever the type: dependabot writes
 * `chore(deps)`, `build(deps)`, `ci(deps)`; renovate writes `fix(deps)`, `chore(deps)`.
 */
const DEPENDENCY_SCOPES: ReadonlySet<string> = new Set(["deps", "deps-dev", "dependencies"]);
const TYPES_WITH_DEPENDENCY_SCOPE: ReadonlySet<string> = new Set(["chore", "build", "ci", "fix"]);

/** Bracket tags, lower-cased, as projects without Conventional Commits write them. */
const BRACKET_TAGS: ReadonlyMap<string, ChangeType> = new Map([
  ["feature", "feature"],
  ["feat", "feature"],
  ["enhancement", "feature"],
  ["bugfix", "bugfix"],
  ["fix", "bugfix"],
  ["bug", "bugfix"],
  ["hotfix", "bugfix"],
  ["perf", "performance"],
  ["performance", "performance"],
  ["doc", "docs"],
  ["docs", "docs"],
  ["documentation", "docs"],
  ["ci", "ci"],
  ["test", "test"],
  ["tests", "test"],
  ["testing", "test"],
  ["refactor", "refactor"],
  ["refactoring", "refactor"],
  ["build", "build"],
  ["deps", "dependency"],
  ["dependencies", "dependency"],
  ["config", "config"],
  ["style", "style"],
  ["revert", "revert"],
  ["chore", "chore"],
  // LLVM's "no functional change": https://llvm.org/docs/Lexicon.html#nfc
  ["nfc", "refactor"],
]);

/**
 * Scopes that name a category rather than a component, lower-cased. They count like a
 * type, so `CI/BUILD: ...` is a CI change and `Docs/python: ...` a docs change. The
 * first part of a path counts; a later part only when it is a tests, docs or CI folder
 * (`EP/TESTS:`), since Go's `go/build` and Linux's `tools/perf` are packages, not kinds.
 */
const CATEGORY_SCOPES: ReadonlyMap<string, ChangeType> = new Map([
  ["ci", "ci"],
  [".github", "ci"],
  ["github-actions", "ci"],
  ["gha", "ci"],
  ["workflows", "ci"],
  ["jenkins", "ci"],
  ["doc", "docs"],
  ["docs", "docs"],
  ["documentation", "docs"],
  ["readme", "docs"],
  ["readme.md", "docs"],
  ["test", "test"],
  ["tests", "test"],
  ["gtest", "test"],
  ["pytest", "test"],
  ["unit-tests", "test"],
  ["unittest", "test"],
  ["unittests", "test"],
  ["e2e", "test"],
  ["build", "build"],
  ["cmake", "build"],
  ["meson", "build"],
  ["bazel", "build"],
  ["deps", "dependency"],
  ["dependencies", "dependency"],
  ["perf", "performance"],
  ["performance", "performance"],
  ["refactoring", "refactor"],
  ["cleanup", "refactor"],
  ["format", "style"],
  ["formatting", "style"],
  ["lint", "style"],
  ["clang-format", "style"],
]);
const NESTED_CATEGORY_SCOPES: ReadonlySet<string> = new Set(["test", "tests", "gtest", "e2e", "docs", "documentation", "ci", ".github", "workflows"]);

/** A refactor whose stated purpose is speed. */
const PERFORMANCE_PURPOSE = /\b(?:(?:better|improve[sd]?|faster|higher) (?:performance|perf|throughput|latency)|for (?:speed|performance)|performance (?:improvement|gain)s?|speed(?:s|ed)? up)\b/i;

/** Words in a message that speak of dependency versions rather than of code. */
const DEPENDENCY_WORDS = /\b(?:deps?|dependenc(?:y|ies)|versions?|v?\d+\.\d+(?:\.\d+)?)\b/i;

interface FactRule {
  type: ChangeType;
  applies: (facts: CommitFacts) => boolean;
}

/** Kinds a dependency bump touches besides manifests and lockfiles: Dockerfiles pin images, docs quote versions. */
const DEPENDENCY_BUMP_KINDS: readonly FileKind[] = ["manifest", "lockfile", "build", "docs"];

/** Read top to bottom; the first rule that applies decides. */
const FACT_RULES: readonly FactRule[] = [
  { type: "revert", applies: (facts) => facts.message.isRevert },
  { type: "release", applies: (facts) => findRelease(facts) !== undefined },
  {
    type: "style",
    applies: (facts) => {
      const files = listAnalysedFiles(facts);
      return files.length > 0 && files.every((file) => file.formattingOnly);
    },
  },
  { type: "docs", applies: (facts) => hasOnlyKinds(facts, ["docs"]) },
  { type: "test", applies: (facts) => hasOnlyKinds(facts, ["test"]) },
  { type: "ci", applies: (facts) => hasOnlyKinds(facts, ["ci"]) },
  {
    type: "dependency",
    applies: (facts) =>
      listDependencies(facts).length > 0 && hasOnlyKinds(facts, DEPENDENCY_BUMP_KINDS) && hasAnyKind(facts, ["manifest", "lockfile"]),
  },
  // A base image or toolchain moved in Dockerfiles and build files alone (docs may quote it):
  // what the project is built with, not what it depends on.
  {
    type: "build",
    applies: (facts) => listDependencies(facts).length > 0 && hasOnlyKinds(facts, DEPENDENCY_BUMP_KINDS) && hasAnyKind(facts, ["build"]),
  },
  { type: "config", applies: (facts) => hasOnlyKinds(facts, ["config"]) },
  { type: "build", applies: (facts) => hasOnlyKinds(facts, ["build", "manifest", "lockfile"]) },
  { type: "feature", applies: (facts) => classifyPublicApi(facts).added.length > 0 },
  { type: "chore", applies: () => true },
];

export function classifyChangeType(facts: CommitFacts): ChangeType {
  return decideChangeType(facts).type;
}

export function decideChangeType(facts: CommitFacts): ChangeTypeDecision {
  const fromFacts = classifyByFacts(facts);
  // A release says so in its subject or only moves the version: whatever the type word, it is a release.
  if (fromFacts === "release") return { type: "release", source: "facts" };
  const declared = readConventionalType(facts);
  if (declared) {
    if (declared.refinable && fromFacts !== "chore" && fromFacts !== "feature") {
      return { type: fromFacts, source: "facts" };
    }
    // `chore(deps): bump actions/checkout` on workflows alone pins CI, and a base image bumped
    // in Dockerfiles alone is the build: dependabot's scope says "deps" for both.
    if (declared.type === "dependency" && (fromFacts === "ci" || (fromFacts === "build" && !hasAnyKind(facts, ["manifest", "lockfile"])))) {
      return { type: fromFacts, source: "facts" };
    }
    // `fix(ci): pin the nightly` on workflows alone is a CI change, as a verb on a one-kind diff is (KINDS_OVER_VERB).
    if (declared.type === "bugfix" && fromFacts === "ci") return { type: "ci", source: "facts" };
    // `refactor: … for a better performance`: the author's own words say what it is for.
    if ((declared.type === "refactor" || declared.type === "chore") && PERFORMANCE_PURPOSE.test(facts.message.description)) {
      return { type: "performance", source: "conventional", words: PERFORMANCE_PURPOSE.exec(facts.message.description)![0] };
    }
    return { type: declared.type, source: "conventional" };
  }
  for (const tag of facts.message.tags) {
    const type = BRACKET_TAGS.get(tag.toLowerCase());
    if (type) return { type, source: "tag" };
  }
  if (facts.message.isRevert) return { type: "revert", source: "facts" };
  const scoped = readCategoryScope(facts.message.scope);
  if (scoped) return { type: scoped, source: "scope" };
  return decideByVerb(facts, fromFacts) ?? { type: fromFacts, source: "facts" };
}

/** `cmd/go, go/build` has two paths; `net: ipv4` and `nixl_ep(core)` are paths of two parts. */
function readCategoryScope(scope: string | undefined): ChangeType | undefined {
  if (!scope) return undefined;
  for (const path of scope.toLowerCase().split(/\s*,\s*/)) {
    const [first, ...rest] = path.split(/[/:()\s]+/).filter((part) => part !== "");
    const type = CATEGORY_SCOPES.get(first ?? "") ?? rest.map(readNestedCategory).find((found) => found !== undefined);
    if (type) return type;
  }
  return undefined;
}

function readNestedCategory(part: string): ChangeType | undefined {
  return NESTED_CATEGORY_SCOPES.has(part) ? CATEGORY_SCOPES.get(part) : undefined;
}

/**
 * A diff of only these kinds is plainly one thing: "Fix race in telemetry test" that
 * touches tests alone is a test change, whatever the verb.
 */
const KINDS_OVER_VERB: ReadonlySet<ChangeType> = new Set(["docs", "test", "ci"]);

/** The verb's type (see leading-verb.ts), unless its object, its condition or a one-kind diff says otherwise. */
function decideByVerb(facts: CommitFacts, fromFacts: ChangeType): ChangeTypeDecision | undefined {
  const match = readVerb(facts.message.description);
  if (!match) return undefined;
  const { rule, words, rest } = match;
  if (rule.type === "revert") return { type: "revert", source: "verb", words };
  const byObject = readObjectType(rest);
  // "Fix typos in the docs" on docs alone is a docs change; on code, a cosmetic one.
  if (byObject && !(byObject === "style" && KINDS_OVER_VERB.has(fromFacts))) return { type: byObject, source: "verb", words };
  if (KINDS_OVER_VERB.has(fromFacts) && fromFacts !== rule.type) return undefined;
  if (rule.condition && !meetsCondition(facts, rule.condition, rest)) return undefined;
  return { type: rule.type, source: "verb", words };
}

function meetsCondition(facts: CommitFacts, condition: VerbCondition, rest: string): boolean {
  switch (condition) {
    case "unless-public-api-removed":
      return classifyPublicApi(facts).removed.length === 0;
    case "names-changed-dependency":
      return namesChangedDependency(facts, rest);
  }
}

/** The diff changes dependencies and the message names one of them, or speaks of versions. */
function namesChangedDependency(facts: CommitFacts, text: string): boolean {
  const dependencies = listDependencies(facts);
  if (dependencies.length === 0) return false;
  const lower = text.toLowerCase();
  const named = dependencies.some((dependency) =>
    [dependency.name, dependency.name.split("/").pop() ?? ""].some((name) => name.length > 1 && lower.includes(name.toLowerCase())),
  );
  return named || DEPENDENCY_WORDS.test(text);
}

function readConventionalType(facts: CommitFacts): DeclaredType | undefined {
  const type = facts.message.type?.toLowerCase();
  if (!type) return undefined;
  const scope = facts.message.scope?.toLowerCase();
  if (scope && DEPENDENCY_SCOPES.has(scope) && TYPES_WITH_DEPENDENCY_SCOPE.has(type)) return { type: "dependency" };
  return CONVENTIONAL_TYPES.get(type);
}

function classifyByFacts(facts: CommitFacts): ChangeType {
  for (const rule of FACT_RULES) if (rule.applies(facts)) return rule.type;
  return "chore";
}
