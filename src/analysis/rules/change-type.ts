/**
 * What kind of change a commit is. The author's word comes first (a Conventional
 * Commits type, https://www.conventionalcommits.org/en/v1.0.0/, then a bracket tag such
 * as `[Bugfix]`), and the diff decides only when the message says nothing usable.
 */
import type { CommitFacts, FileKind } from "../../facts/types.js";
import type { ChangeType } from "../types.js";
import { hasAnyKind, hasOnlyKinds, listDependencies, classifyPublicApi } from "./fact-queries.js";

export type ChangeTypeSource = "conventional" | "tag" | "facts";

export interface ChangeTypeDecision {
  type: ChangeType;
  /** Where the type came from: the message's type, its bracket tag, or the diff. */
  source: ChangeTypeSource;
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
]);

interface FactRule {
  type: ChangeType;
  applies: (facts: CommitFacts) => boolean;
}

/** Kinds a dependency bump touches besides manifests and lockfiles: Dockerfiles pin images, docs quote versions. */
const DEPENDENCY_BUMP_KINDS: readonly FileKind[] = ["manifest", "lockfile", "build", "docs"];

/** Read top to bottom; the first rule that applies decides. */
const FACT_RULES: readonly FactRule[] = [
  { type: "revert", applies: (facts) => facts.message.isRevert },
  { type: "docs", applies: (facts) => hasOnlyKinds(facts, ["docs"]) },
  { type: "test", applies: (facts) => hasOnlyKinds(facts, ["test"]) },
  { type: "ci", applies: (facts) => hasOnlyKinds(facts, ["ci"]) },
  {
    type: "dependency",
    applies: (facts) =>
      listDependencies(facts).length > 0 &&
      hasOnlyKinds(facts, DEPENDENCY_BUMP_KINDS) &&
      hasAnyKind(facts, ["manifest", "lockfile", "build"]),
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
  const declared = readConventionalType(facts);
  if (declared) {
    if (declared.refinable && fromFacts !== "chore" && fromFacts !== "feature") {
      return { type: fromFacts, source: "facts" };
    }
    return { type: declared.type, source: "conventional" };
  }
  for (const tag of facts.message.tags) {
    const type = BRACKET_TAGS.get(tag.toLowerCase());
    if (type) return { type, source: "tag" };
  }
  return { type: fromFacts, source: "facts" };
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
