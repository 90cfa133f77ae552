/**
 * Every weight and threshold of the rules analyzer, in one place. Each rule a commit
 * triggers is a reason with a weight; the commit's score is its strongest reason's weight
 * plus a tenth of the others' (so that several medium findings order a commit within its
 * tier, but do not add up to high); the thresholds turn the score into high / medium / low.
 * Then one cap: a commit that changes no product code (only docs, tests, CI, examples,
 * benchmarks, tooling, formatting or dev-only dependencies) is low, unless its author
 * declared it breaking. Users override weights and thresholds from config
 * (`analysis.weights.<code>`, `analysis.thresholds.high|medium`).
 *
 * Calibrated on the labelled set in eval/ (214 commits of five repositories ranked by an
 * engineer reading each diff; `npm run eval` prints the agreement): a weight of 60 alone
 * makes a commit high, 30 alone medium.
 */
import { ConfigError } from "../../errors.js";
import type { ScoringConfig } from "../types.js";

export const RULE_WEIGHTS = {
  /** The author said it breaks callers (`!`, a `BREAKING CHANGE:` footer, a `breaking` PR label). */
  "breaking-change": 60,
  /** Public API of product code removed, renamed, or given a signature old callers cannot use. */
  "api-break": 60,
  /** A command-line flag removed or renamed, a choice removed, a default changed: command lines that worked may not. */
  "cli-break": 60,
  /** An environment variable or config key product code read is no longer read: deployments that set it lose the effect. */
  "setting-removed": 60,
  /** The message speaks of a vulnerability, a CVE or a security fix. */
  "security-fix": 60,
  /** A fix of a crash, leak, double free, deadlock, corruption or hang in product code. */
  "severe-fix": 60,
  /** A new component of the product (a backend, a plugin): a new folder of source files. */
  "new-component": 60,
  /** A release that starts a major version. */
  "major-release": 60,
  /** A feature in product code (declared, or read from the subject's verb). */
  feature: 30,
  /** A bug fix in product code. */
  fix: 30,
  /** A performance change in product code. */
  performance: 30,
  /** The project's own release. */
  release: 30,
  /** The toolchain users need moved: MSRV, minimum Python, Go or Node. */
  toolchain: 30,
  /** A third-party dependency of what users run was added, removed or moved. */
  "runtime-dependency": 30,
  /** Such a dependency crossed a major version (0.x minors included). */
  "dependency-major": 10,
  /** The message deprecates something users use. */
  deprecation: 30,
  /** Much product code changed, whatever the message calls it: behaviour may change. */
  "large-change": 30,
  /** Public API of product code given a signature old callers still fit (a new optional parameter, a type widened). */
  "api-extended": 30,
  /** The Dockerfile at the repository's root changed: the image the project publishes. */
  "container-image": 30,
  /** New public API of product code. */
  "public-api-added": 30,
  /** Public API moved to another file or module: imports of the old place may need updating. */
  "api-moved": 20,
  /** A new environment variable, config key or flag of the product: a new setting users can use. */
  "setting-added": 30,
  /** Choices added to a flag. */
  "cli-changed": 30,
  /** A file under one of the repository's configured critical paths. */
  "critical-path": 25,
  /** Lines a reviewer should look at in product code: processes, eval, unsafe, auth, crypto, secrets, listeners, permissions. */
  "security-signal": 10,
  /** Timeouts and limits set in product code. */
  "runtime-limit-signal": 5,
  /** Lines of product source changed, log-scaled up to this weight at {@link SOURCE_LINES_FULL_WEIGHT}. */
  "source-lines": 15,
  /** Undoes an earlier commit. */
  revert: 10,
  /** Tests deleted. */
  "tests-removed": 3,
  /** Data files the product ships (tables, databases) deleted: what was supported with them is gone. */
  "data-removed": 60,
  /** Data files the product ships added in numbers (a new version's tables): what it supports grows. */
  "data-added": 30,
  /** Product code changed, with no word in the message saying what kind of change. */
  "product-change": 30,
} as const satisfies Record<string, number>;

export type RuleCode = keyof typeof RULE_WEIGHTS;
export const RULE_CODES = Object.keys(RULE_WEIGHTS) as RuleCode[];

/** Scores at or above `high` are high; at or above `medium`, medium; below, low. */
export const DEFAULT_THRESHOLDS = { high: 60, medium: 30 } as const;

/** The share of every reason but the strongest that counts in the score. */
export const SECONDARY_SHARE = 0.1;

/**
 * Source lines at which `source-lines` reaches its full weight. Logarithmic below: the
 * step from 10 to 100 lines says more than the step from 1,000 to 1,090.
 */
export const SOURCE_LINES_FULL_WEIGHT = 2000;

/** Product source lines from which a change counts as large whatever its type. */
export const LARGE_CHANGE_LINES = 600;

/** Frozen: callers that want changes go through {@link resolveScoring}, which copies. */
export const DEFAULT_SCORING: ScoringConfig = Object.freeze({
  weights: Object.freeze({ ...RULE_WEIGHTS }),
  thresholds: Object.freeze({ ...DEFAULT_THRESHOLDS }),
});

export interface ScoringOverrides {
  weights: Record<string, number>;
  thresholds: Partial<{ high: number; medium: number }>;
}

/** Defaults with the user's overrides on top; unknown codes and non-numbers are config errors. */
export function resolveScoring(overrides: Partial<ScoringOverrides> = {}): ScoringConfig {
  const weights: Record<string, number> = { ...RULE_WEIGHTS };
  for (const [code, value] of Object.entries(overrides.weights ?? {})) {
    const key = `analysis.weights.${code}`;
    if (!Object.hasOwn(RULE_WEIGHTS, code)) throw new ConfigError(key, value, `one of: ${RULE_CODES.join(", ")}`);
    weights[code] = requireFiniteNumber(key, value);
  }

  const thresholds = { high: DEFAULT_THRESHOLDS.high as number, medium: DEFAULT_THRESHOLDS.medium as number };
  if (overrides.thresholds?.high !== undefined) {
    thresholds.high = requireFiniteNumber("analysis.thresholds.high", overrides.thresholds.high);
  }
  if (overrides.thresholds?.medium !== undefined) {
    thresholds.medium = requireFiniteNumber("analysis.thresholds.medium", overrides.thresholds.medium);
  }
  if (thresholds.high <= thresholds.medium) {
    throw new ConfigError(
      "analysis.thresholds.high",
      thresholds.high,
      `a number greater than analysis.thresholds.medium (${thresholds.medium})`,
    );
  }
  return { weights, thresholds };
}

/** The weight of a rule in this config; a code missing from a hand-built config falls back to its default. */
export function weightOf(scoring: ScoringConfig, code: RuleCode): number {
  return scoring.weights[code] ?? RULE_WEIGHTS[code];
}

function requireFiniteNumber(key: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new ConfigError(key, value, "a finite number");
  return value;
}
