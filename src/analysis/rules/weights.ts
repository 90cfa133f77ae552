/**
 * Every weight and threshold of the rules analyzer, in one place. A commit's score is
 * the sum of the weights of the rules it triggers; the thresholds turn the score into
 * high / medium / low. Users override both from config (`analysis.weights.<code>`,
 * `analysis.thresholds.high|medium`).
 *
 * Calibrated against the reference reports (/work/shared/reference-reports/): a feature
 * with a new environment variable and new public functions lands high; a major
 * dependency bump lands medium; removing a public class lands at least medium; docs-only
 * and attributions-only commits land low however many lines they move.
 */
import { ConfigError } from "../../errors.js";
import type { ScoringConfig } from "../types.js";

export const RULE_WEIGHTS = {
  /** The author said it breaks callers (`!` or a `BREAKING CHANGE:` footer): the strongest signal there is. */
  "breaking-change": 45,
  /** Exported symbols gone (not moved): downstream code that uses them stops compiling or importing, marked or not. */
  "public-api-removed": 30,
  /** New exported symbols: new surface that users will build on and maintainers must keep. */
  "public-api-added": 15,
  /** A file under one of the repository's configured critical paths: the owner told us these matter. */
  "critical-path": 20,
  /** A dependency crossed a major version (0.x minors included): the usual source of incompatible behaviour. */
  "dependency-major": 35,
  /** Any dependency added, removed or moved: what gets built and shipped changes, if only a little. */
  "dependency-change": 6,
  /** An environment variable, CLI flag or config key no longer read: deployments that set it silently lose the effect. */
  "surface-removed": 20,
  /** A new environment variable, CLI flag or config key: new behaviour users can switch on. */
  "surface-added": 12,
  /** Lines that run external processes, eval, unsafe code, auth, crypto, secrets, listeners or permissions changed. */
  "security-signal": 15,
  /**
   * The subject says "security", "vulnerability" or names a CVE: the author tells readers
   * to look, even when the diff (a patch file, a pinned version) shows no sensitive code.
   */
  "security-keyword": 15,
  /** Timeouts and limits changed: they decide when healthy requests fail or hang. */
  "runtime-limit-signal": 8,
  /**
   * Lines of hand-written source changed, scaled logarithmically and capped at
   * {@link SOURCE_LINES_FULL_WEIGHT}: lockfiles, generated and vendored files are not
   * source and so add nothing, which keeps a 50,000-line attributions update low.
   */
  "source-lines": 30,
  /** A new package or module (manifest or `__init__.py` added, a `mod` declared): the architecture grew. */
  "new-module": 15,
  /** Tests deleted: the safety net for some behaviour is gone. */
  "tests-removed": 6,
  /** Declared a feature (`feat`, `[Feature]`, or a subject opening with "Add", "Enable", ...): new behaviour for users. */
  "feat-type": 15,
  /** Declared a bug fix (`fix`, `[Bugfix]`, or a subject opening with "Fix", "Resolve", ...): behaviour users may rely on changes. */
  "fix-type": 12,
  /** Declared a performance change (`perf`, `[Perf]`, `perf:` scope, or "Optimize", "Speed up", ...): runtime characteristics change. */
  "perf-type": 10,
  /** Undoes an earlier commit, whose behaviour may already have shipped. */
  revert: 10,
  /** CI workflow files changed: affects every later build, not users directly. */
  "ci-change": 3,
  /** Build files or manifests changed: affects how the project is built and packaged. */
  "build-change": 5,
  /** Only documentation changed: nothing that runs changes. */
  "docs-only": -10,
  /** Only tests changed: nothing users run changes. */
  "tests-only": -5,
  /** Opened by a bot (dependabot, renovate, pre-commit-ci): routine and usually batch-reviewed. */
  "bot-author": -10,
} as const satisfies Record<string, number>;

export type RuleCode = keyof typeof RULE_WEIGHTS;
export const RULE_CODES = Object.keys(RULE_WEIGHTS) as RuleCode[];

/** Scores at or above `high` are high; at or above `medium`, medium; below, low. */
export const DEFAULT_THRESHOLDS = { high: 60, medium: 30 } as const;

/**
 * Source lines at which `source-lines` reaches its full weight. Logarithmic below: the
 * step from 10 to 100 lines says more than the step from 1,000 to 1,090.
 */
export const SOURCE_LINES_FULL_WEIGHT = 2000;

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
