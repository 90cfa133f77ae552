/**
 * How much a commit matters: the sum of the weights of the rules it triggers (see
 * weights.ts), each kept as a reason with the facts it counted, so that a reader can
 * see why and a config can tune it.
 */
import type { CommitFacts } from "../../facts/types.js";
import type { Importance, ImportanceReason, ScoringConfig } from "../types.js";
import { decideChangeType } from "./change-type.js";
import {
  RUNTIME_LIMIT_SIGNAL_KINDS,
  SECURITY_SIGNAL_KINDS,
  classifyPublicApi,
  countKindLines,
  hasOnlyKinds,
  hasAnyKind,
  listDependencies,
  listMajorDependencies,
  listNewModules,
  listSecurityWords,
  listSignalKinds,
  listSignals,
  listSurface,
  listTests,
} from "./fact-queries.js";
import { SOURCE_LINES_FULL_WEIGHT, weightOf, type RuleCode } from "./weights.js";

export type ScoredReason = Omit<ImportanceReason, "text">;

export interface ImportanceScore {
  score: number;
  importance: Importance;
  reasons: ScoredReason[];
}

/** Names in reason params are joined with this and split again when rendered. */
export const PARAM_LIST_SEPARATOR = ", ";

export function scoreImportance(facts: CommitFacts, criticalPathHit: string[], scoring: ScoringConfig): ImportanceScore {
  const reasons: ScoredReason[] = [];
  const add = (code: RuleCode, params: ScoredReason["params"] = {}, factor = 1): void => {
    const weight = roundScore(weightOf(scoring, code) * factor);
    // A weight of 0 is how a config switches a rule off; it is no reason.
    if (weight !== 0) reasons.push({ code, weight, params });
  };
  const join = (names: readonly string[]): string => names.join(PARAM_LIST_SEPARATOR);

  if (facts.message.breaking) add("breaking-change");

  const api = classifyPublicApi(facts);
  if (api.removed.length > 0) {
    add("public-api-removed", { count: api.removed.length, names: join(api.removed.map((symbol) => symbol.name)) });
  }
  if (api.added.length > 0) {
    add("public-api-added", { count: api.added.length, names: join(api.added.map((symbol) => symbol.name)) });
  }

  if (criticalPathHit.length > 0) add("critical-path", { paths: join(criticalPathHit), count: criticalPathHit.length });

  const majors = listMajorDependencies(facts);
  const firstMajor = majors[0];
  if (firstMajor) {
    add("dependency-major", {
      name: firstMajor.name,
      from: firstMajor.from ?? "",
      to: firstMajor.to ?? "",
      count: majors.length,
    });
  }
  const dependencies = listDependencies(facts);
  if (dependencies.length > 0) add("dependency-change", { count: dependencies.length });

  const removedSurface = listSurface(facts, "removed");
  if (removedSurface.length > 0) add("surface-removed", { names: join(removedSurface.map((entry) => entry.name)) });
  const addedSurface = listSurface(facts, "added");
  if (addedSurface.length > 0) add("surface-added", { names: join(addedSurface.map((entry) => entry.name)) });

  const securityKinds = listSignalKinds(listSignals(facts, SECURITY_SIGNAL_KINDS));
  if (securityKinds.length > 0) add("security-signal", { kinds: join(securityKinds) });
  const securityWords = listSecurityWords(facts);
  if (securityWords.length > 0) add("security-keyword", { words: join(securityWords) });
  const limitKinds = listSignalKinds(listSignals(facts, RUNTIME_LIMIT_SIGNAL_KINDS));
  if (limitKinds.length > 0) add("runtime-limit-signal", { kinds: join(limitKinds) });

  const sourceLines = countKindLines(facts, "source").lines;
  if (sourceLines > 0) add("source-lines", { lines: sourceLines }, scaleSourceLines(sourceLines));

  const newModules = listNewModules(facts);
  if (newModules.length > 0) add("new-module", { names: join(newModules), count: newModules.length });

  const removedTests = listTests(facts, "removed");
  if (removedTests.length > 0) add("tests-removed", { count: removedTests.length });

  const decision = decideChangeType(facts);
  if (decision.source !== "facts") {
    // A type read from the leading verb quotes the words, so the reason shows what was read.
    const params: ScoredReason["params"] = decision.words === undefined ? {} : { words: decision.words };
    if (decision.type === "feature") add("feat-type", params);
    else if (decision.type === "bugfix") add("fix-type", params);
    else if (decision.type === "performance") add("perf-type", params);
  }
  if (decision.type === "revert" || facts.message.isRevert) add("revert");

  if (facts.ci.length > 0 || hasAnyKind(facts, ["ci"])) add("ci-change");
  if (hasAnyKind(facts, ["build", "manifest"])) add("build-change");

  if (hasOnlyKinds(facts, ["docs"])) add("docs-only");
  else if (hasOnlyKinds(facts, ["test"])) add("tests-only");
  if (facts.message.isBot) add("bot-author");

  const score = Math.max(0, roundScore(reasons.reduce((sum, reason) => sum + reason.weight, 0)));
  return { score, importance: rankImportance(score, scoring), reasons };
}

export function rankImportance(score: number, scoring: ScoringConfig): Importance {
  if (score >= scoring.thresholds.high) return "high";
  if (score >= scoring.thresholds.medium) return "medium";
  return "low";
}

/** 0..1: log-scaled so that the first hundred lines count most, full at SOURCE_LINES_FULL_WEIGHT. */
export function scaleSourceLines(lines: number): number {
  if (lines <= 0) return 0;
  return Math.min(1, Math.log10(1 + lines) / Math.log10(1 + SOURCE_LINES_FULL_WEIGHT));
}

function roundScore(value: number): number {
  return Math.round(value * 10) / 10;
}
