/**
 * How much a commit matters to someone who builds on the project: each rule it triggers
 * is a reason with the facts it counted; the strongest reason decides the tier (weights.ts
 * explains the scale), and a commit that changes no product code is low unless declared
 * breaking. Every reason names what it saw, so a reader can check it and a config can tune it.
 */
import type { CommitFacts } from "../../facts/types.js";
import type { Importance, ImportanceReason, ScoringConfig } from "../types.js";
import { decideChangeType } from "./change-type.js";
import {
  RUNTIME_LIMIT_SIGNAL_KINDS,
  SECURITY_SIGNAL_KINDS,
  classifyPublicApi,
  countProductSourceLines,
  findRelease,
  isDevVersion,
  isMajorRelease,
  listApiBreaks,
  listFlagBreaks,
  listFlags,
  listNewComponents,
  listAnalysedFiles,
  listProductFiles,
  listSecurityWords,
  listSettings,
  listSignalKinds,
  listSignals,
  listTests,
  listThirdPartyDependencies,
  listToolchainChanges,
  parentFolder,
} from "./fact-queries.js";
import { LARGE_CHANGE_LINES, SECONDARY_SHARE, SOURCE_LINES_FULL_WEIGHT, weightOf, type RuleCode } from "./weights.js";

/** Files whose lines are no product code: their signals do not make the "lines to review in product code" reason. */
const NOT_PRODUCT_KINDS: ReadonlySet<string> = new Set(["test", "example", "benchmark", "docs", "tooling"]);

export type ScoredReason = Omit<ImportanceReason, "text">;

export interface ImportanceScore {
  score: number;
  importance: Importance;
  reasons: ScoredReason[];
}

/** Names in reason params are joined with this and split again when rendered. */
export const PARAM_LIST_SEPARATOR = ", ";

/** Failures whose fix users must hear of: crashes, memory errors, leaks, hangs, corruption. */
const SEVERE_FAILURE =
  /\b(?:crash(?:es|ed|ing)?|segfaults?|segmentation fault|panics?|double[- ](?:\w+[- ])?(?:free|destroy|destruction|close|delete|release)|double[- ]\w*(?:free|destroy|close|delete|release)\w*|(?:never|not) (?:freed|released|closed|destroyed|deallocated)|use[- ]after[- ]free|(?:memory|resource|fd|handle) leaks?|leak(?:s|ed|ing)?|deadlocks?|hangs?|hung|data loss|corrupt(?:s|ed|ion)?|out[- ]of[- ]bounds|buffer overflow|overflow|oom|out of memory|race condition|data race)\b/i;
const DEPRECATION = /\bdeprecat(?:e|es|ed|ing|ion)\b/i;
/** Types that say the product did not change, whatever files moved. */
const NOT_PRODUCT_TYPES: ReadonlySet<string> = new Set(["docs", "test", "ci", "style", "build", "dependency", "revert", "release"]);
/** Shipped data files added or deleted in one commit from which they count as support added or removed (a version's tables). */
const DATA_FILES = 5;

export function scoreImportance(facts: CommitFacts, criticalPathHit: string[], scoring: ScoringConfig): ImportanceScore {
  const reasons: ScoredReason[] = [];
  const add = (code: RuleCode, params: ScoredReason["params"] = {}, factor = 1): void => {
    const weight = roundScore(weightOf(scoring, code) * factor);
    // A weight of 0 is how a config switches a rule off; it is no reason.
    if (weight !== 0) reasons.push({ code, weight, params });
  };
  const join = (names: readonly string[]): string => [...new Set(names)].join(PARAM_LIST_SEPARATOR);

  const product = listProductFiles(facts);
  const productSource = countProductSourceLines(facts);
  const touchesProduct = product.length > 0;
  const decision = decideChangeType(facts);
  const words: ScoredReason["params"] = decision.words === undefined ? {} : { words: decision.words };
  const text = [facts.message.description, ...facts.message.points, facts.message.prTitle ?? ""].join("\n");

  if (facts.message.breaking) add("breaking-change");

  const api = classifyPublicApi(facts);
  const breaks = listApiBreaks(api);
  if (breaks.length > 0) add("api-break", { count: breaks.length, names: join(breaks.map((symbol) => symbol.name)) });
  const flagBreaks = listFlagBreaks(facts);
  if (flagBreaks.length > 0) add("cli-break", { names: join(flagBreaks.map((entry) => entry.name)) });
  const settingsRemoved = listSettings(facts, "removed");
  if (settingsRemoved.length > 0) add("setting-removed", { names: join(settingsRemoved.map((entry) => entry.name)) });

  const securityWords = listSecurityWords(facts);
  if (securityWords.length > 0 && (touchesProduct || decision.type === "bugfix")) add("security-fix", { words: join(securityWords) });
  // A fix of a severe failure, whether the subject says "fix" or names the failure ("free the handle wrapper… leaking").
  const severeWord = productSource > 0 && !NOT_PRODUCT_TYPES.has(decision.type) ? SEVERE_FAILURE.exec(text)?.[0] : undefined;
  const severe = severeWord && (decision.type === "bugfix" || SEVERE_FAILURE.test(facts.message.description) || decision.source === "facts") ? severeWord : undefined;
  if (severe) add("severe-fix", { words: severe });

  const found = findRelease(facts);
  // Opening a development cycle ships nothing: it is no release a reader must know of.
  const release = found !== undefined && !isDevVersion(found) ? found : undefined;
  if (release !== undefined) add(isMajorRelease(release) ? "major-release" : "release", { version: release });

  const components = NOT_PRODUCT_TYPES.has(decision.type) || decision.type === "refactor" ? [] : listNewComponents(facts);
  if (components.length > 0) add("new-component", { names: join(components) });

  if (productSource > 0 && found === undefined) {
    if (decision.type === "feature" && decision.source !== "facts") add("feature", words);
    else if (decision.type === "bugfix") add("fix", words);
    else if (decision.type === "performance") add("performance", words);
    // No word says what it is, yet product code changed: a reader should know it did.
    else if (decision.type === "chore" && decision.source === "facts") add("product-change", { lines: productSource });
  }
  const dataRemoved = product.filter((file) => file.kind !== "source" && file.status === "deleted");
  if (dataRemoved.length >= DATA_FILES) add("data-removed", { count: dataRemoved.length, names: join(dataRemoved.map((file) => parentFolder(file.path))) });
  const dataAdded = product.filter((file) => file.kind !== "source" && file.status === "added" && /(^|\/)data\//.test(file.path));
  if (dataAdded.length >= DATA_FILES) add("data-added", { count: dataAdded.length, names: join(dataAdded.map((file) => parentFolder(file.path))) });
  if (touchesProduct && DEPRECATION.test(text)) add("deprecation", { words: DEPRECATION.exec(text)![0] });

  const toolchain = listToolchainChanges(facts);
  const firstToolchain = toolchain[0];
  if (firstToolchain) add("toolchain", { name: firstToolchain.name, from: firstToolchain.from ?? "", to: firstToolchain.to ?? "" });

  const runtime = listThirdPartyDependencies(facts, "runtime");
  if (runtime.length > 0) add("runtime-dependency", { count: runtime.length, names: join(runtime.map((dependency) => dependency.name)) });
  const major = runtime.find((dependency) => dependency.major);
  if (major) add("dependency-major", { name: major.name, from: major.from ?? "", to: major.to ?? "" });

  const extended = api.signature.filter((symbol) => !symbol.signature?.breaking);
  if (extended.length > 0) add("api-extended", { count: extended.length, names: join(extended.map((symbol) => symbol.name)) });
  if (api.added.length > 0) add("public-api-added", { count: api.added.length, names: join(api.added.map((symbol) => symbol.name)) });
  if (api.moved.length > 0) add("api-moved", { count: api.moved.length, names: join(api.moved.map((symbol) => symbol.name)) });
  const settingsAdded = [...listSettings(facts, "added"), ...listFlags(facts, "added")];
  if (settingsAdded.length > 0) add("setting-added", { names: join(settingsAdded.map((entry) => entry.name)) });
  const choicesAdded = listFlags(facts, "changed").filter((entry) => (entry.detail?.choicesAdded?.length ?? 0) > 0 && !flagBreaks.includes(entry));
  if (choicesAdded.length > 0) add("cli-changed", { names: join(choicesAdded.map((entry) => entry.name)) });

  if (productSource >= LARGE_CHANGE_LINES && !["feature", "bugfix", "performance", "style", "chore"].includes(decision.type)) add("large-change", { lines: productSource });
  if (criticalPathHit.length > 0) add("critical-path", { paths: join(criticalPathHit), count: criticalPathHit.length });

  // "In product code": a test that plants a fake key or binds a port is no line for a reviewer of the product.
  const notProduct = new Set(facts.files.filter((file) => NOT_PRODUCT_KINDS.has(file.kind)).map((file) => file.path));
  const securityKinds = listSignalKinds(
    listSignals(facts, SECURITY_SIGNAL_KINDS).filter((signal) => signal.change === "added" && !notProduct.has(signal.origin.file)),
  );
  if (securityKinds.length > 0) add("security-signal", { kinds: join(securityKinds) });
  const limitKinds = listSignalKinds(listSignals(facts, RUNTIME_LIMIT_SIGNAL_KINDS));
  if (limitKinds.length > 0) add("runtime-limit-signal", { kinds: join(limitKinds) });
  if (productSource > 0) add("source-lines", { lines: productSource }, scaleSourceLines(productSource));
  if (decision.type === "revert" || facts.message.isRevert) add("revert");
  const removedTests = listTests(facts, "removed");
  if (removedTests.length > 0) add("tests-removed", { count: removedTests.length });

  // The project's own container image, unless a bot only refreshed a base image's digest.
  const image = facts.message.isBot ? [] : listAnalysedFiles(facts).filter((file) => /^(Dockerfile|Containerfile)([-._][^/]*)?$/.test(file.path) && !file.formattingOnly);
  if (image.length > 0) add("container-image", { paths: join(image.map((file) => file.path)) });

  const score = combine(reasons);
  let importance = rankImportance(score, scoring);
  // Nothing users run changed: docs, tests, CI, examples, tooling, formatting, dev dependencies.
  const userFacing = image.length > 0 || touchesProduct || runtime.length > 0 || toolchain.length > 0 || release !== undefined || criticalPathHit.length > 0;
  if (!userFacing && !facts.message.breaking && importance !== "low") {
    importance = "low";
    reasons.push({ code: "no-product-change", weight: 0, params: {} });
  }
  // Only a companion program changed (a collector beside the package): it matters to those who run it, never as much as the product.
  if (importance === "high" && product.length > 0 && product.every((file) => file.companion || file.kind !== "source") && product.some((file) => file.companion)) {
    importance = "medium";
    reasons.push({ code: "companion-only", weight: 0, params: {} });
  }
  return { score, importance, reasons };
}

/** The strongest reason, plus a tenth of the rest: the tier is the strongest finding's, the rest orders within it. */
function combine(reasons: readonly ScoredReason[]): number {
  if (reasons.length === 0) return 0;
  const weights = reasons.map((reason) => reason.weight);
  const top = Math.max(...weights);
  const rest = weights.reduce((sum, weight) => sum + weight, 0) - top;
  return Math.max(0, roundScore(top + SECONDARY_SHARE * rest));
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
