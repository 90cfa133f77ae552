import { describe, expect, it } from "vitest";
import { fileChange } from "../../../test/helpers/file-change.js";
import { extractFacts } from "../../facts/extract-facts.js";
import type { CommitFacts } from "../../facts/types.js";
import type { Commit, FileChange } from "../../sources/types.js";
import { buildDiffView, groupForMapReduce } from "./diff-view.js";
import type { DiffView } from "./types.js";
import { createTokenCounter } from "./tokenizer.js";

const counter = createTokenCounter();

function makeCommit(files: FileChange[]): Commit {
  const person = { name: "Ada", email: "ada@example.org", date: "2026-01-17T06:06:33+08:00" };
  return { sha: "a".repeat(40), parents: ["b".repeat(40)], author: person, committer: person, subject: "feat: routing", body: "", files, patchBytesOmitted: 0 };
}

function factsOf(commit: Commit, ignorePaths: string[] = []): CommitFacts {
  return extractFacts(commit, { criticalPaths: [], ignorePaths });
}

/** A hunk at `start` adding `count` lines of a Python function body. */
function bodyHunk(start: number, count: number, word: string, context = ""): string[] {
  const lines = [`@@ -${start},2 +${start},${count + 2} @@${context === "" ? "" : ` ${context}`}`, "     result = []"];
  for (let i = 0; i < count; i++) lines.push(`+    result.append(${word}_${i} * compute_weight(${i}, factor=${i % 7}))`);
  lines.push("     return result");
  return lines;
}

function pythonModule(path: string, functions: number, bodyLines: number): FileChange {
  const lines: string[] = [];
  for (let f = 0; f < functions; f++) lines.push(...bodyHunk(10 + f * 100, bodyLines, `value${f}`));
  return fileChange(path, lines);
}

function binaryChange(path: string): FileChange {
  return { ...fileChange(path, []), binary: true, status: "added", oldMode: "000000" };
}

function deletedChange(path: string, lines: number): FileChange {
  const patch = [`@@ -1,${lines} +0,0 @@`, ...Array.from({ length: lines }, (_, i) => `-def removed_function_${i}(): pass`)];
  return fileChange(path, patch, "deleted");
}

/** Many files of every kind, about 60,000 tokens of diff. */
function bigCommit(): Commit {
  const files: FileChange[] = [];
  files.push(pythonModule("src/router.py", 6, 60));
  for (let i = 0; i < 12; i++) files.push(pythonModule(`src/handlers/handler_${i}.py`, 2, 20));
  for (let i = 0; i < 6; i++) files.push(pythonModule(`tests/test_handler_${i}.py`, 2, 25));
  files.push(fileChange("pyproject.toml", ["@@ -1,3 +1,4 @@", ' name = "router"', '-version = "1.0.0"', '+version = "1.1.0"', '+requires-python = ">=3.10"']));
  files.push(fileChange(".github/workflows/ci.yml", ["@@ -5,2 +5,3 @@", " jobs:", "+  lint:", "   test:"]));
  files.push(fileChange("config/settings.yaml", ["@@ -1,1 +1,3 @@", " routes:", "+  timeout: 30", "+  retries: 5"]));
  files.push(
    fileChange("docs/guide.md", ["@@ -1,2 +1,40 @@", " # Guide", ...Array.from({ length: 38 }, (_, i) => `+Paragraph ${i} explains how routing picks a handler for each request.`)]),
  );
  files.push(fileChange("package-lock.json", ["@@ -1,1 +1,1200 @@", ...Array.from({ length: 1200 }, (_, i) => `+    "node_modules/pkg-${i}": { "version": "1.0.${i}" },`)]));
  files.push(fileChange("Cargo.lock", ["@@ -1,1 +1,30 @@", ...Array.from({ length: 30 }, (_, i) => `+name = "crate-${i}"`)]));
  files.push(fileChange("third_party/json/json.hpp", ["@@ -1,1 +1,500 @@", ...Array.from({ length: 500 }, (_, i) => `+// vendored line ${i}`)]));
  files.push(deletedChange("src/legacy_router.py", 40));
  files.push(binaryChange("assets/logo.png"));
  files.push(fileChange("ATTRIBUTIONS.md", ["@@ -1,1 +1,3 @@", "+MIT License", "+Copyright", "+..."]));
  return makeCommit(files);
}

function expectConsistent(view: DiffView, commit: Commit, budget: number): void {
  expect(view.tokens).toBe(counter.count(view.text));
  expect(view.tokens).toBeLessThanOrEqual(budget);
  const { full, clipped, nameOnly } = view.coverage;
  const all = [...full, ...clipped, ...nameOnly];
  expect(new Set(all).size).toBe(all.length);
  const paths = new Set(commit.files.map((f) => f.path));
  for (const path of all) expect(paths.has(path)).toBe(true);
  for (const path of [...full, ...clipped]) expect(view.text).toContain(`### ${path} (`);
  for (const path of nameOnly) {
    expect(view.text).toContain(path);
    expect(view.text).not.toContain(`### ${path} (`);
  }
}

describe("buildDiffView", () => {
  const commit = bigCommit();
  const facts = factsOf(commit, ["ATTRIBUTIONS.md"]);

  it.each([500, 2_000, 8_000])("never exceeds a budget of %i tokens and records what it shows", (budget) => {
    const view = buildDiffView(commit, facts, { budgetTokens: budget, counter });
    expectConsistent(view, commit, budget);
    expect(view.tokens).toBeGreaterThan(budget * 0.5);
  });

  it("shows more as the budget grows", () => {
    const shown = [500, 2_000, 8_000].map((budget) => {
      const { text } = buildDiffView(commit, facts, { budgetTokens: budget, counter });
      return text.split("\n").filter((line) => /^[+\- ]/.test(line)).length;
    });
    expect(shown[0]).toBeLessThan(shown[1]!);
    expect(shown[1]).toBeLessThan(shown[2]!);
  });

  it("orders files source, tests, config/build/ci/manifest, docs", () => {
    const view = buildDiffView(commit, facts, { budgetTokens: 200_000, counter });
    const at = (path: string): number => view.text.indexOf(`### ${path} (`);
    expect(at("src/router.py")).toBeGreaterThanOrEqual(0);
    expect(at("src/handlers/handler_11.py")).toBeLessThan(at("tests/test_handler_0.py"));
    expect(at("tests/test_handler_5.py")).toBeLessThan(at("pyproject.toml"));
    expect(at("config/settings.yaml")).toBeLessThan(at("docs/guide.md"));
    expect(at("pyproject.toml")).toBeLessThan(at("docs/guide.md"));
    expect(view.coverage.clipped).toEqual([]);
    expect(view.coverage.full).toHaveLength(23);
  });

  it("reduces lockfiles, vendored and ignored files to one line of counts each, and lists deleted and binary files by name", () => {
    const view = buildDiffView(commit, facts, { budgetTokens: 200_000, counter });
    expect(view.text).toContain("lockfiles: 2 files +1230/−0 (package-lock.json, Cargo.lock)");
    expect(view.text).toContain("vendored: 1 file +500/−0 (third_party/json/json.hpp)");
    expect(view.text).toContain("ignored by the repository's settings: 1 file +3/−0 (ATTRIBUTIONS.md)");
    expect(view.text).toContain("deleted: 1 file −40 (src/legacy_router.py −40)");
    expect(view.text).toContain("binary: 1 file (assets/logo.png added)");
    expect(view.text).not.toContain("node_modules/pkg-");
    expect(view.text).not.toContain("vendored line");
    expect(view.text).not.toContain("removed_function_");
    expect(view.coverage.nameOnly).toEqual(
      expect.arrayContaining(["package-lock.json", "Cargo.lock", "third_party/json/json.hpp", "src/legacy_router.py", "assets/logo.png", "ATTRIBUTIONS.md"]),
    );
  });

  it("drops lower-priority files to their names first when the budget is tight", () => {
    const view = buildDiffView(commit, facts, { budgetTokens: 2_000, counter });
    expect(view.coverage.nameOnly).toContain("docs/guide.md");
    expect(view.coverage.nameOnly).toContain("tests/test_handler_0.py");
    expect([...view.coverage.full, ...view.coverage.clipped]).toContain("src/router.py");
    expect(view.text).toMatch(/^name only: \d+ files \+\d+\/−\d+ \(.*docs\/guide\.md \+38\/−0/m);
  });

  it("names what it cannot fit at all as counts", () => {
    const view = buildDiffView(commit, facts, { budgetTokens: 120, counter });
    expect(view.tokens).toBeLessThanOrEqual(120);
    expect(view.text).toMatch(/name only: 23 files \+\d+\/−\d+/);
    expect(view.text).toMatch(/… \d+ more/);
  });
});

describe("buildDiffView: big files", () => {
  /** Three hunks of body changes, and one in the middle that defines a new function. */
  function fileWithOneDefinition(): FileChange {
    const lines = [
      ...bodyHunk(10, 80, "alpha"),
      "@@ -200,3 +280,6 @@ class Router:",
      "     pass",
      "+def route_request(request, *, timeout=30):",
      "+    return dispatch(request, timeout)",
      "+",
      "     # end",
      ...bodyHunk(400, 80, "gamma"),
    ];
    return fileChange("src/router.py", lines);
  }

  it("keeps the hunks with changed definitions and cuts the rest on a line boundary", () => {
    const commit = makeCommit([fileWithOneDefinition()]);
    const facts = factsOf(commit);
    expect(facts.symbols.map((s) => s.name)).toContain("route_request");
    const view = buildDiffView(commit, facts, { budgetTokens: 400, counter });
    expectConsistent(view, commit, 400);
    expect(view.coverage.clipped).toEqual(["src/router.py"]);
    expect(view.text).toContain("+def route_request(request, *, timeout=30):");
    const hunkHeaders = view.text.split("\n").filter((l) => l.startsWith("@@"));
    expect(hunkHeaders[0]).toBe("@@ -200,3 +280,6 @@ class Router:");
    const marker = /^… \((\d+) more lines not shown\)$/m.exec(view.text);
    expect(marker).not.toBeNull();
    const shownLines = view.text.split("\n").filter((l) => /^[+\- ]/.test(l)).length;
    expect(shownLines + Number(marker![1])).toBe(2 * (80 + 2) + 5);
    for (const line of view.text.split("\n")) expect(commit.files[0]!.patch.split("\n").includes(line) || !/^[+\- @]/.test(line)).toBe(true);
  });

  it("shows a file whole when it fits, hunks in file order", () => {
    const commit = makeCommit([fileWithOneDefinition()]);
    const view = buildDiffView(commit, factsOf(commit), { budgetTokens: 8_000, counter });
    expect(view.coverage.full).toEqual(["src/router.py"]);
    expect(view.text).toBe(`### src/router.py (modified, +163/−0)\n${commit.files[0]!.patch}`);
  });

  it("shortens minified lines and marks the file clipped", () => {
    const long = `+const data = "${"ab12".repeat(500)}";`;
    const commit = makeCommit([fileChange("src/data.ts", ["@@ -1,1 +1,2 @@", " export {};", long])]);
    const view = buildDiffView(commit, factsOf(commit), { budgetTokens: 8_000, counter });
    expect(view.coverage.clipped).toEqual(["src/data.ts"]);
    expect(view.text).toContain("… (1617 more characters)");
    expect(view.tokens).toBeLessThan(300);
  });

  it("marks a patch that the source cut as clipped and says how much is missing", () => {
    const change = { ...fileChange("src/huge.py", bodyHunk(1, 10, "x")), additions: 5_000, patchTruncated: true };
    const commit = makeCommit([change]);
    const view = buildDiffView(commit, factsOf(commit), { budgetTokens: 8_000, counter });
    expect(view.coverage.clipped).toEqual(["src/huge.py"]);
    expect(view.text).toContain("… (4990 more lines not shown)");
  });
});

describe("buildDiffView: secrets", () => {
  it("redacts secrets in what it shows and counts them", () => {
    const commit = makeCommit([
      fileChange("deploy/.env.production", ["@@ -1,1 +1,3 @@", " APP=router", "+DB_PASSWORD=hunter22", "+DATABASE_URL=postgres://app:s3cr3tP4ss@db/app"]),
    ]);
    const view = buildDiffView(commit, factsOf(commit), { budgetTokens: 8_000, counter });
    expect(view.text).not.toContain("hunter22");
    expect(view.text).not.toContain("s3cr3tP4ss");
    expect(view.text).toContain("+DB_PASSWORD=[redacted:password]");
    expect(view.redactions).toEqual({ password: 1, "url-password": 1 });
  });

  it("counts only the secrets in the text that is sent", () => {
    const lines = [...bodyHunk(1, 200, "x"), "@@ -900,1 +1100,2 @@", " end", `+TOKEN = "ghp_${"x9K2mQ7vL4pR8sT1wY6zB3nC5dF0gH2jK4lM"}"`];
    const commit = makeCommit([fileChange("src/far.py", lines)]);
    const view = buildDiffView(commit, factsOf(commit), { budgetTokens: 300, counter });
    expect(view.coverage.clipped).toEqual(["src/far.py"]);
    expect(view.text).not.toContain("ghp_");
    expect(view.redactions).toEqual({});
  });
});

describe("groupForMapReduce", () => {
  /** 150 files in one module, 30 in another, 20 in a third, plus a lockfile. */
  function hugeCommit(): Commit {
    const files: FileChange[] = [];
    for (let i = 0; i < 150; i++) files.push(pythonModule(`engine/part_${String(i).padStart(3, "0")}.py`, 1, 12));
    for (let i = 0; i < 30; i++) files.push(pythonModule(`plugins/plugin_${i}.py`, 1, 6));
    for (let i = 0; i < 20; i++) files.push(pythonModule(`tools/tool_${i}.py`, 1, 4));
    files.push(fileChange("package-lock.json", ["@@ -1,1 +1,3 @@", "+a", "+b", "+c"]));
    return makeCommit(files);
  }

  it("splits the files by module into groups whose views show every file", () => {
    const commit = hugeCommit();
    const facts = factsOf(commit);
    const budget = 2_000;
    const groups = groupForMapReduce(commit, facts, { budgetTokens: budget, counter });

    const grouped = groups.flatMap((g) => g.files);
    expect(new Set(grouped).size).toBe(grouped.length);
    expect(new Set(grouped)).toEqual(new Set(commit.files.map((f) => f.path)));
    const moduleOf = new Map(facts.files.map((f) => [f.path, f.module]));
    for (const group of groups) for (const path of group.files) expect(moduleOf.get(path)).toBe(group.module);
    expect(groups.filter((g) => g.module === "engine").length).toBeGreaterThan(1);
    expect(groups[0]!.module).toBe("engine");

    for (const group of groups) {
      const view = buildDiffView(commit, facts, { budgetTokens: budget, counter, files: group.files });
      expect(view.tokens).toBeLessThanOrEqual(budget);
      expect(view.coverage.clipped).toEqual([]);
      expect(new Set([...view.coverage.full, ...view.coverage.nameOnly])).toEqual(new Set(group.files));
      expect(view.coverage.nameOnly.every((path) => path === "package-lock.json")).toBe(true);
    }
  });

  it("gives a file bigger than the budget a group of its own, where its view is cut", () => {
    const commit = makeCommit([pythonModule("engine/big.py", 4, 100), pythonModule("engine/small.py", 1, 3)]);
    const facts = factsOf(commit);
    const groups = groupForMapReduce(commit, facts, { budgetTokens: 1_000, counter });
    expect(groups).toEqual([
      { module: "engine", files: ["engine/big.py"] },
      { module: "engine", files: ["engine/small.py"] },
    ]);
  });
});
