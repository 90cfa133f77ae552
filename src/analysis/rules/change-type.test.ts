import { describe, expect, it } from "vitest";
import type { ChangeType } from "../types.js";
import { classifyChangeType, decideChangeType } from "./change-type.js";
import { makeDependency, makeFacts, makeFile, makeSymbol } from "./test-fixtures.js";

const docsFiles = [makeFile("docs/guide.md", "docs"), makeFile("README.md", "docs")];
const testFiles = [makeFile("tests/test_router.py", "test")];

describe("classifyChangeType", () => {
  it.each<[string, ChangeType]>([
    ["feat", "feature"],
    ["fix", "bugfix"],
    ["docs", "docs"],
    ["refactor", "refactor"],
    ["perf", "performance"],
    ["test", "test"],
    ["build", "build"],
    ["ci", "ci"],
    ["chore", "chore"],
    ["style", "style"],
    ["revert", "revert"],
    ["deps", "dependency"],
    ["FEAT", "feature"],
  ])("maps the Conventional Commits type %s to %s", (type, expected) => {
    const facts = makeFacts({ message: { type }, files: [makeFile("src/app.py", "source")] });
    expect(classifyChangeType(facts)).toBe(expected);
  });

  it.each(["chore", "build", "ci", "fix"])("reads %s(deps) as a dependency bump", (type) => {
    const facts = makeFacts({ message: { type, scope: "deps" }, files: [makeFile("package.json", "manifest")] });
    expect(classifyChangeType(facts)).toBe("dependency");
  });

  it("lets the message's type beat what the files say", () => {
    expect(classifyChangeType(makeFacts({ message: { type: "feat" }, files: docsFiles }))).toBe("feature");
    expect(classifyChangeType(makeFacts({ message: { type: "fix" }, files: testFiles }))).toBe("bugfix");
    expect(decideChangeType(makeFacts({ message: { type: "fix" }, files: testFiles })).source).toBe("conventional");
  });

  it("refines the catch-all chore when the diff is plainly one thing, but not into a feature", () => {
    expect(classifyChangeType(makeFacts({ message: { type: "chore" }, files: docsFiles }))).toBe("docs");
    expect(classifyChangeType(makeFacts({ message: { type: "chore" }, files: testFiles }))).toBe("test");
    const withNewSymbol = makeFacts({
      message: { type: "chore" },
      files: [makeFile("lib/zmq.rs", "source")],
      symbols: [makeSymbol("ZmqMessage", "added", "lib/zmq.rs", { kind: "struct", language: "Rust" })],
    });
    expect(classifyChangeType(withNewSymbol)).toBe("chore");
  });

  it("reads bracket tags when there is no type, first known tag wins", () => {
    const files = [makeFile("src/app.py", "source")];
    expect(classifyChangeType(makeFacts({ message: { tags: ["Bugfix"] }, files }))).toBe("bugfix");
    expect(classifyChangeType(makeFacts({ message: { tags: ["Core", "Perf"] }, files }))).toBe("performance");
    expect(classifyChangeType(makeFacts({ message: { tags: ["Doc"] }, files }))).toBe("docs");
    expect(classifyChangeType(makeFacts({ message: { tags: ["CI"] }, files }))).toBe("ci");
    expect(classifyChangeType(makeFacts({ message: { tags: ["Test"] }, files }))).toBe("test");
    expect(classifyChangeType(makeFacts({ message: { tags: ["Refactor"] }, files }))).toBe("refactor");
    expect(classifyChangeType(makeFacts({ message: { tags: ["Feature"] }, files }))).toBe("feature");
  });

  it("prefers the Conventional Commits type over a bracket tag", () => {
    const facts = makeFacts({ message: { type: "fix", tags: ["Perf"] }, files: [makeFile("src/app.py", "source")] });
    expect(classifyChangeType(facts)).toBe("bugfix");
  });

  it("falls through unknown tags and types to the facts", () => {
    expect(classifyChangeType(makeFacts({ message: { tags: ["Core"] }, files: docsFiles }))).toBe("docs");
    expect(classifyChangeType(makeFacts({ message: { type: "wip" }, files: testFiles }))).toBe("test");
  });

  describe("from the facts alone", () => {
    it("docs only, tests only, CI only", () => {
      expect(classifyChangeType(makeFacts({ files: docsFiles }))).toBe("docs");
      expect(classifyChangeType(makeFacts({ files: testFiles }))).toBe("test");
      expect(classifyChangeType(makeFacts({ files: [makeFile(".github/workflows/ci.yml", "ci")] }))).toBe("ci");
    });

    it("manifests and lockfiles with dependency changes are a dependency bump", () => {
      const facts = makeFacts({
        files: [makeFile("Cargo.toml", "manifest"), makeFile("Cargo.lock", "lockfile")],
        dependencies: [makeDependency("oneshot", "0.1.11", "0.1.13", "Cargo.toml", { ecosystem: "cargo" })],
      });
      expect(classifyChangeType(facts)).toBe("dependency");
    });

    it("a manifest edit without dependency changes is not a dependency bump", () => {
      expect(classifyChangeType(makeFacts({ files: [makeFile("lib/memory/Cargo.toml", "manifest")] }))).toBe("build");
    });

    it("a revert is a revert whatever it touches", () => {
      expect(classifyChangeType(makeFacts({ message: { isRevert: true }, files: docsFiles }))).toBe("revert");
    });

    it("new exported symbols make a feature; private ones do not", () => {
      const files = [makeFile("src/router.py", "source")];
      const exported = makeFacts({ files, symbols: [makeSymbol("route", "added", "src/router.py")] });
      const hidden = makeFacts({ files, symbols: [makeSymbol("_route", "added", "src/router.py", { exported: false })] });
      expect(classifyChangeType(exported)).toBe("feature");
      expect(classifyChangeType(hidden)).toBe("chore");
    });

    it("ignored files do not count: docs plus an ignored generated file is docs", () => {
      const facts = makeFacts({ files: [...docsFiles, makeFile("ATTRIBUTIONS.md", "generated", { ignored: true })] });
      expect(classifyChangeType(facts)).toBe("docs");
    });

    it("an empty commit is a chore", () => {
      expect(classifyChangeType(makeFacts({ files: [] }))).toBe("chore");
    });
  });
});
