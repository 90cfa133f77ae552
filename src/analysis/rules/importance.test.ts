import { describe, expect, it } from "vitest";
import { scoreImportance } from "./importance.js";
import { SCENARIOS, makeDependency, makeFacts, makeFile, makeSignal, makeSurface, makeSymbol, makeTest } from "../../../test/support/analysis/rules/fixtures.js";
import { DEFAULT_SCORING, resolveScoring } from "./weights.js";

function score(facts: ReturnType<typeof makeFacts>, criticalPathHit: string[] = [], scoring = DEFAULT_SCORING) {
  return scoreImportance(facts, criticalPathHit, scoring);
}

function codes(result: ReturnType<typeof score>): string[] {
  return result.reasons.map((reason) => reason.code);
}

const source = (path = "src/core/agent.py", lines = 40) => makeFile(path, "source", { additions: lines, deletions: 0, language: "Python" });

describe("scoreImportance: what users must know is high", () => {
  it("a declared breaking change is high", () => {
    const result = score(SCENARIOS.breakingRemoval());
    expect(result.importance).toBe("high");
    expect(codes(result)).toEqual(expect.arrayContaining(["breaking-change", "api-break"]));
    expect(result.reasons.find((reason) => reason.code === "api-break")?.params).toEqual({ count: 1, names: "connect" });
  });

  it("public API removed, renamed or changed incompatibly is high, marked or not", () => {
    expect(score(SCENARIOS.removeBinding()).importance).toBe("high");
    const renamed = makeFacts({
      message: { type: "refactor", description: "rename connect" },
      files: [source()],
      symbols: [makeSymbol("open", "renamed", "src/core/agent.py", { from: { file: "src/core/agent.py", line: 3, name: "connect" } })],
    });
    expect(score(renamed).importance).toBe("high");
    const signature = makeFacts({
      message: { type: "feat", description: "make timeout required" },
      files: [source()],
      symbols: [
        makeSymbol("connect", "signature", "src/core/agent.py", {
          signature: { before: "(host)", after: "(host, timeout)", parametersAdded: [{ name: "timeout", required: true }], parametersRemoved: [], defaultsChanged: [], typesChanged: [], modifiersAdded: [], modifiersRemoved: [], breaking: true },
        }),
      ],
    });
    expect(score(signature)).toMatchObject({ importance: "high" });
  });

  it("a flag removed or a choice dropped is high; a choice added is medium", () => {
    const files = [source("src/cli/main.py")];
    const removed = makeFacts({ message: { type: "feat", description: "rename any to auto" }, files, surface: [{ ...makeSurface("cli-flag", "--backend", "changed", "src/cli/main.py"), detail: { choicesRemoved: ["any"], choicesAdded: ["auto"] } }] });
    expect(score(removed)).toMatchObject({ importance: "high" });
    expect(codes(score(removed))).toContain("cli-break");
    const added = makeFacts({ message: { type: "chore", description: "more backends" }, files, surface: [{ ...makeSurface("cli-flag", "--backend", "changed", "src/cli/main.py"), detail: { choicesAdded: ["sglang"], choicesRemoved: [] } }] });
    expect(score(added).importance).toBe("medium");
  });

  it("a severe failure fixed in product code is high; an ordinary fix is medium", () => {
    const leak = makeFacts({ message: { type: "fix", description: "free the handle wrapper to stop a memory leak" }, files: [source("src/core/agent.cpp", 3)] });
    expect(score(leak)).toMatchObject({ importance: "high" });
    expect(score(leak).reasons[0]).toMatchObject({ code: "severe-fix", params: { words: "memory leak" } });
    const ordinary = makeFacts({ message: { type: "fix", description: "wrong label in the status line" }, files: [source("src/core/agent.cpp", 3)] });
    expect(score(ordinary).importance).toBe("medium");
  });

  it("a new component of the product is high; a major release is high", () => {
    const plugin = makeFacts({
      message: { description: "Add 3FS backend" },
      files: ["a", "b", "c"].map((name) => makeFile(`src/plugins/hf3fs/${name}.cpp`, "source", { status: "added", additions: 200, deletions: 0 })),
    });
    expect(score(plugin).reasons[0]).toMatchObject({ code: "new-component", params: { names: "src/plugins/hf3fs" } });
    expect(score(plugin).importance).toBe("high");
    const major = makeFacts({ message: { description: "v3.0.0", releaseVersion: "3.0.0" }, files: [makeFile("CHANGELOG.md", "docs")] });
    expect(score(major)).toMatchObject({ importance: "high" });
  });
});

describe("scoreImportance: worth knowing is medium", () => {
  it("a feature with new public functions and a new setting is medium, not high", () => {
    const result = score(SCENARIOS.spanEventFeature());
    expect(result.importance).toBe("medium");
    expect(result.reasons).toContainEqual(expect.objectContaining({ code: "setting-added", params: { names: "DYN_LOGGING_SPAN_EVENTS" } }));
    // The private helper is no public API.
    expect(result.reasons).toContainEqual(expect.objectContaining({ code: "public-api-added", params: expect.objectContaining({ count: 2 }) }));
  });

  it("a release, a toolchain raise and a runtime dependency bump are medium", () => {
    const release = makeFacts({ message: { type: "chore", scope: "release", description: "prepare for v2.10.0", releaseVersion: "2.10.0" }, files: [makeFile("Cargo.toml", "manifest")] });
    expect(score(release)).toMatchObject({ importance: "medium" });
    const msrv = makeFacts({
      message: { type: "chore", description: "raise MSRV" },
      files: [makeFile("Cargo.toml", "manifest")],
      versions: [{ kind: "toolchain", name: "rust-version", from: "1.85.1", to: "1.87.0", origin: { file: "Cargo.toml", line: 4 } }],
    });
    expect(score(msrv)).toMatchObject({ importance: "medium" });
    expect(score(SCENARIOS.patchBump()).importance).toBe("medium");
    expect(score(SCENARIOS.botBump(false)).importance).toBe("medium");
  });

  it("a major runtime bump names the dependency", () => {
    expect(score(SCENARIOS.majorBump()).reasons).toContainEqual(
      expect.objectContaining({ code: "dependency-major", params: { name: "vllm", from: "0.14.1", to: "0.15.0" } }),
    );
  });

  it("a bug fix in product code ranks above a dev-only dependency bump", () => {
    const fix = score(makeFacts({ message: { type: "fix", description: "off-by-one in the scheduler" }, files: [source()] }));
    const dev = score(
      makeFacts({
        message: { type: "chore", scope: "deps", description: "bump @types/node" },
        files: [makeFile("package.json", "manifest")],
        dependencies: [makeDependency("@types/node", "20.1.0", "22.0.0", "package.json", { ecosystem: "npm", scope: "dev", major: true })],
      }),
    );
    expect(fix.importance).toBe("medium");
    expect(dev.importance).toBe("low");
    expect(fix.score).toBeGreaterThan(dev.score);
  });

  it("product code changed with no word for what it is still counts", () => {
    const result = score(makeFacts({ message: { description: "Agent API: sendLocalPartialMD requires a label" }, files: [source("src/core/agent.cpp", 52)] }));
    expect(result.importance).toBe("medium");
    expect(codes(result)).toContain("product-change");
  });
});

describe("scoreImportance: the rest is low", () => {
  it("docs, tests, CI, examples and tooling alone are low, however large", () => {
    expect(score(SCENARIOS.docsOnly()).importance).toBe("low");
    const tests = makeFacts({
      message: { type: "feat", description: "add many unit tests" },
      files: [makeFile("tests/test_api.py", "test", { additions: 3000, deletions: 0 })],
      tests: [makeTest("test_api", "added", "tests/test_api.py")],
    });
    expect(score(tests)).toMatchObject({ importance: "low" });
    // Whatever a config weighs, a commit that changes no product code stays low, and says why.
    const removed = makeFacts({ message: { type: "test", description: "drop flaky tests" }, files: [makeFile("tests/test_api.py", "test")], tests: [makeTest("test_x", "removed", "tests/test_api.py")] });
    const heavy = resolveScoring({ weights: { "tests-removed": 40 } });
    expect(score(removed, [], heavy)).toMatchObject({ importance: "low" });
    expect(codes(score(removed, [], heavy))).toContain("no-product-change");
    const ci = makeFacts({ message: { type: "fix", description: "CI timeout" }, files: [makeFile(".github/workflows/ci.yml", "ci")], signals: [makeSignal("timeout", "added", ".github/workflows/ci.yml")] });
    expect(score(ci).importance).toBe("low");
  });

  it("an attributions-only commit of 50,000 lines is low", () => {
    const facts = SCENARIOS.attributionsOnly();
    expect(facts.totals.additions + facts.totals.deletions).toBe(50000);
    const result = score(facts);
    expect(result.importance).toBe("low");
    expect(codes(result)).not.toContain("source-lines");
  });

  it("a declared breaking change is not capped, even outside product code", () => {
    const facts = makeFacts({ message: { type: "ci", breaking: true, description: "require Node 22 in CI" }, files: [makeFile(".github/workflows/ci.yml", "ci")] });
    expect(score(facts).importance).toBe("high");
  });
});

describe("scoreImportance: the score", () => {
  it("is the strongest reason's weight plus a tenth of the others", () => {
    const result = score(makeFacts({ message: { type: "fix", description: "crash on empty input" }, files: [source("src/a.py", 9)] }));
    const weights = result.reasons.map((reason) => reason.weight);
    const top = Math.max(...weights);
    expect(result.score).toBeCloseTo(top + 0.1 * (weights.reduce((a, b) => a + b, 0) - top), 1);
  });

  it("several medium findings do not add up to high", () => {
    const facts = makeFacts({
      message: { type: "feat", description: "add options" },
      files: [source()],
      symbols: [makeSymbol("a", "added", "src/core/agent.py"), makeSymbol("b", "added", "src/core/agent.py")],
      surface: [makeSurface("env-var", "APP_MODE", "added", "src/core/agent.py"), makeSurface("cli-flag", "--mode", "added", "src/core/agent.py")],
      dependencies: [makeDependency("httpx", undefined, "0.27", "pyproject.toml")],
    });
    expect(score(facts).importance).toBe("medium");
  });

  it("weight overrides change the outcome, and a zero weight drops the reason", () => {
    const facts = makeFacts({ message: { type: "fix", description: "wrong default" }, files: [source()] });
    expect(score(facts).importance).toBe("medium");
    const raised = resolveScoring({ weights: { fix: 60 } });
    expect(score(facts, [], raised).importance).toBe("high");
    const off = resolveScoring({ weights: { fix: 0 } });
    expect(codes(score(facts, [], off))).not.toContain("fix");
  });

  it("raises critical paths and new security-sensitive lines with their facts", () => {
    const facts = makeFacts({ message: { description: "tune" }, files: [source("lib/runtime/src/lease.py", 5)], signals: [makeSignal("process-exec", "added", "lib/runtime/src/lease.py")] });
    const result = score(facts, ["lib/runtime/src/lease.py"]);
    expect(result.reasons).toContainEqual(expect.objectContaining({ code: "critical-path", params: { paths: "lib/runtime/src/lease.py", count: 1 } }));
    expect(result.reasons).toContainEqual(expect.objectContaining({ code: "security-signal", params: { kinds: "process-exec" } }));
  });

  it("lines to review count only in product code: a test that plants a fake key is no such line", () => {
    const inTest = makeFacts({
      message: { description: "tune" },
      files: [source("src/core/agent.py", 5), makeFile("tests/test_keys.py", "test", { additions: 3, deletions: 0 })],
      signals: [makeSignal("secret", "added", "tests/test_keys.py")],
    });
    expect(codes(score(inTest))).not.toContain("security-signal");
    const inSource = makeFacts({ ...inTest, signals: [makeSignal("secret", "added", "src/core/agent.py")] });
    expect(score(inSource).reasons).toContainEqual(expect.objectContaining({ code: "security-signal", params: { kinds: "secret" } }));
  });

  it("quotes a subject that speaks of security", () => {
    const facts = makeFacts({ message: { type: "fix", description: "sanitize paths (CVE-2026-1234, security)" }, files: [source()] });
    const result = score(facts);
    expect(result.importance).toBe("high");
    expect(result.reasons).toContainEqual(expect.objectContaining({ code: "security-fix", params: { words: "CVE-2026-1234, security" } }));
  });

  it("a move of public API is not a removal", () => {
    const facts = makeFacts({
      message: { type: "refactor", description: "split module" },
      files: [source("src/a.py"), source("src/b.py")],
      symbols: [makeSymbol("helper", "moved", "src/b.py", { from: { file: "src/a.py", line: 3 } })],
    });
    const result = score(facts);
    expect(codes(result)).not.toContain("api-break");
    expect(codes(result)).toContain("api-moved");
  });
});
