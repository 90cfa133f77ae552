import { describe, expect, it } from "vitest";
import { scoreImportance } from "./importance.js";
import { SCENARIOS, makeFacts, makeFile, makeSignal, makeSymbol } from "./test-fixtures.js";
import { DEFAULT_SCORING, resolveScoring } from "./weights.js";

function score(facts: ReturnType<typeof makeFacts>, criticalPathHit: string[] = [], scoring = DEFAULT_SCORING) {
  return scoreImportance(facts, criticalPathHit, scoring);
}

function codes(result: ReturnType<typeof score>): string[] {
  return result.reasons.map((reason) => reason.code);
}

describe("scoreImportance calibration (reference reports)", () => {
  it("a feature with a new env var and new public functions is high", () => {
    const result = score(SCENARIOS.spanEventFeature());
    expect(result.importance).toBe("high");
    expect(result.reasons).toContainEqual(
      expect.objectContaining({ code: "surface-added", params: { names: "DYN_LOGGING_SPAN_EVENTS" } }),
    );
    // The private helper is not public API.
    expect(result.reasons).toContainEqual(expect.objectContaining({ code: "public-api-added", params: expect.objectContaining({ count: 2 }) }));
  });

  it("an attributions-only commit of 50,000 lines is low", () => {
    const facts = SCENARIOS.attributionsOnly();
    expect(facts.totals.additions + facts.totals.deletions).toBe(50000);
    const result = score(facts);
    expect(result.importance).toBe("low");
    expect(codes(result)).not.toContain("source-lines");
  });

  it("a breaking removal of a public function is high", () => {
    const result = score(SCENARIOS.breakingRemoval());
    expect(result.importance).toBe("high");
    expect(codes(result)).toEqual(expect.arrayContaining(["breaking-change", "public-api-removed"]));
    expect(result.reasons.find((reason) => reason.code === "public-api-removed")?.params).toEqual({ count: 1, names: "connect" });
  });

  it("a docs-only change is low", () => {
    const result = score(SCENARIOS.docsOnly());
    expect(result.importance).toBe("low");
    expect(codes(result)).toContain("docs-only");
  });

  it("a major dependency bump is at least medium, and names the dependency", () => {
    const result = score(SCENARIOS.majorBump());
    expect(["high", "medium"]).toContain(result.importance);
    expect(result.reasons).toContainEqual(
      expect.objectContaining({ code: "dependency-major", params: { name: "vllm", from: "0.14.1", to: "0.15.0", count: 2 } }),
    );
  });

  it("a patch bump of the same dependency is low", () => {
    expect(score(SCENARIOS.patchBump()).importance).toBe("low");
  });

  it("a bot's minor dependency bump is low; its major bump still medium", () => {
    const minor = score(SCENARIOS.botBump(false));
    expect(minor.importance).toBe("low");
    expect(minor.reasons.find((reason) => reason.code === "bot-author")?.weight).toBeLessThan(0);
    expect(score(SCENARIOS.botBump(true)).importance).toBe("medium");
  });

  it("removing a public binding class is at least medium", () => {
    const result = score(SCENARIOS.removeBinding());
    expect(["high", "medium"]).toContain(result.importance);
    expect(codes(result)).toContain("public-api-removed");
  });
});

describe("scoreImportance rules", () => {
  it("the score is the sum of the reasons' weights, and never below zero", () => {
    for (const make of [SCENARIOS.spanEventFeature, SCENARIOS.majorBump, SCENARIOS.removeBinding]) {
      const result = score(make());
      const sum = result.reasons.reduce((total, reason) => total + reason.weight, 0);
      expect(result.score).toBeCloseTo(sum, 5);
    }
    expect(score(SCENARIOS.docsOnly()).score).toBe(0);
  });

  it("counts only source lines, scaled and capped", () => {
    const lines = (count: number) =>
      score(makeFacts({ files: [makeFile("src/a.py", "source", { additions: count, deletions: 0 })] })).reasons.find(
        (reason) => reason.code === "source-lines",
      );
    expect(lines(10)!.params).toEqual({ lines: 10 });
    expect(lines(100)!.weight).toBeGreaterThan(lines(10)!.weight);
    expect(lines(100_000)!.weight).toBe(DEFAULT_SCORING.weights["source-lines"]);
    const vendored = score(makeFacts({ files: [makeFile("vendor/lib.c", "vendored", { additions: 80_000 })] }));
    expect(codes(vendored)).not.toContain("source-lines");
  });

  it("a symbol removed in one file and added in another is a move, not a removal", () => {
    const facts = makeFacts({
      files: [makeFile("lib/llm/src/kv_router.rs", "source"), makeFile("lib/kv-router/src/lib.rs", "source")],
      symbols: [
        makeSymbol("RadixTree", "removed", "lib/llm/src/kv_router.rs", { kind: "struct", language: "Rust" }),
        makeSymbol("RadixTree", "added", "lib/kv-router/src/lib.rs", { kind: "struct", language: "Rust" }),
      ],
    });
    expect(codes(score(facts))).not.toContain("public-api-removed");
    expect(codes(score(facts))).not.toContain("public-api-added");
  });

  it("raises critical paths, security signals and new modules with their facts", () => {
    const facts = makeFacts({
      files: [
        makeFile("lib/kv-router/Cargo.toml", "manifest", { status: "added", module: "lib/kv-router" }),
        makeFile("lib/kv-router/src/lib.rs", "source", { status: "added", module: "lib/kv-router" }),
        makeFile("deploy/check.py", "source"),
      ],
      signals: [makeSignal("process-exec", "added", "deploy/check.py"), makeSignal("timeout", "added", "deploy/check.py")],
    });
    const result = score(facts, ["deploy/check.py"]);
    expect(result.reasons).toContainEqual(expect.objectContaining({ code: "critical-path", params: { paths: "deploy/check.py", count: 1 } }));
    expect(result.reasons).toContainEqual(expect.objectContaining({ code: "security-signal", params: { kinds: "process-exec" } }));
    expect(result.reasons).toContainEqual(expect.objectContaining({ code: "runtime-limit-signal", params: { kinds: "timeout" } }));
    expect(result.reasons).toContainEqual(expect.objectContaining({ code: "new-module", params: { names: "lib/kv-router", count: 1 } }));
  });

  it("a declared type counts, a type guessed from the diff does not count twice", () => {
    const files = [makeFile("src/router.py", "source")];
    const symbols = [makeSymbol("route", "added", "src/router.py")];
    expect(codes(score(makeFacts({ message: { type: "feat" }, files, symbols })))).toContain("feat-type");
    expect(codes(score(makeFacts({ files, symbols })))).not.toContain("feat-type");
    expect(codes(score(makeFacts({ message: { tags: ["Bugfix"] }, files })))).toContain("fix-type");
  });

  it("counts a type read from the subject's leading verb, with the words it read", () => {
    const files = [makeFile("src/core/agent.cpp", "source")];
    const result = score(makeFacts({ message: { scope: "nixl_ep", description: "Fix barrier with rank connect/disconnect" }, files }));
    expect(result.reasons).toContainEqual(expect.objectContaining({ code: "fix-type", params: { words: "Fix" } }));
    expect(codes(score(makeFacts({ message: { description: "Optimize low-latency NVLink path" }, files })))).toContain("perf-type");
  });

  it("notes a subject that speaks of security, quoting the words found", () => {
    const files = [makeFile("subprojects/prometheus-cpp.wrap", "build")];
    const patch = score(makeFacts({ message: { description: "Apply patch for security issue in Prometheus plugin dependency" }, files }));
    expect(patch.reasons).toContainEqual(expect.objectContaining({ code: "security-keyword", params: { words: "security" } }));
    expect(patch.importance).toBe("medium");
    const cve = score(makeFacts({ message: { tags: ["Security"], description: "Bump civetweb for CVE-2025-55763 and cve-2025-55763" }, files }));
    expect(cve.reasons.find((reason) => reason.code === "security-keyword")?.params).toEqual({ words: "Security, CVE-2025-55763" });
    const plain = score(makeFacts({ message: { description: "Secure the default config path" }, files }));
    expect(codes(plain)).not.toContain("security-keyword");
  });

  it("weight overrides change the outcome, and a zero weight drops the reason", () => {
    const facts = SCENARIOS.removeBinding();
    expect(score(facts).importance).toBe("medium");
    const stricter = resolveScoring({ weights: { "public-api-removed": 50 } });
    expect(score(facts, [], stricter).importance).toBe("high");
    const off = resolveScoring({ weights: { "public-api-removed": 0 } });
    expect(codes(score(facts, [], off))).not.toContain("public-api-removed");
    expect(score(facts, [], off).importance).toBe("low");
  });

  it("threshold overrides move the boundaries", () => {
    const facts = SCENARIOS.majorBump();
    expect(score(facts, [], resolveScoring({ thresholds: { medium: 50, high: 90 } })).importance).toBe("low");
  });
});
