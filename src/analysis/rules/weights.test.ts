import { describe, expect, it } from "vitest";
import { ConfigError } from "../../errors.js";
import { DEFAULT_SCORING, RULE_CODES, RULE_WEIGHTS, resolveScoring } from "./weights.js";

describe("resolveScoring", () => {
  it("returns the defaults when nothing is overridden", () => {
    expect(resolveScoring()).toEqual(DEFAULT_SCORING);
    expect(Object.keys(DEFAULT_SCORING.weights).sort()).toEqual([...RULE_CODES].sort());
  });

  it("applies weight and threshold overrides without touching the defaults", () => {
    const scoring = resolveScoring({ weights: { "fix": 0 }, thresholds: { high: 80 } });
    expect(scoring.weights["fix"]).toBe(0);
    expect(scoring.weights["breaking-change"]).toBe(RULE_WEIGHTS["breaking-change"]);
    expect(scoring.thresholds).toEqual({ high: 80, medium: DEFAULT_SCORING.thresholds.medium });
    expect(DEFAULT_SCORING.weights["fix"]).toBe(RULE_WEIGHTS["fix"]);
  });

  it("rejects an unknown weight code, naming the key and the known codes", () => {
    let error: unknown;
    try {
      resolveScoring({ weights: { "lines-of-code": 5 } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe("analysis.weights.lines-of-code");
    expect((error as ConfigError).value).toBe(5);
    expect((error as ConfigError).allowed).toContain("breaking-change");
    expect((error as ConfigError).allowed).toMatch(/^one of: /);
  });

  it("does not take inherited object keys for rule codes", () => {
    expect(() => resolveScoring({ weights: { toString: 1 } })).toThrow(ConfigError);
  });

  it("rejects weights and thresholds that are not finite numbers", () => {
    expect(() => resolveScoring({ weights: { "fix": Number.NaN } })).toThrow(ConfigError);
    expect(() => resolveScoring({ weights: { "fix": "low" as unknown as number } })).toThrow(ConfigError);
    expect(() => resolveScoring({ thresholds: { medium: Number.POSITIVE_INFINITY } })).toThrow(ConfigError);
  });

  it("rejects a high threshold at or below the medium one", () => {
    expect(() => resolveScoring({ thresholds: { high: 20, medium: 20 } })).toThrow(/analysis\.thresholds\.high/);
  });
});
