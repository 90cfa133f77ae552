import { describe, expect, it } from "vitest";
import { fileChange } from "../../test/helpers/file-change.js";
import type { FileChange } from "../sources/types.js";
import type { FileKind } from "./types.js";
import { extractTestChanges } from "./tests-changed.js";


function summarise(path: string, kind: FileKind, language: string | undefined, lines: string[], status?: FileChange["status"]): string[] {
  return extractTestChanges(fileChange(path, lines, status), kind, language).map(
    (t) => `${t.change} ${t.scope} ${t.name}${t.origin.line === undefined ? "" : ` @${t.origin.line}`}`,
  );
}

describe("whole test files", () => {
  it("reports an added or deleted test file once, without its functions", () => {
    const lines = ["@@ -0,0 +1,3 @@", "+def test_one():", "+    assert True", "+def test_two(): pass"];
    expect(summarise("tests/test_router.py", "test", "Python", lines, "added")).toEqual(["added file tests/test_router.py"]);
    expect(summarise("tests/test_router.py", "test", "Python", lines.map((l) => l.replace(/^\+/, "-")), "deleted")).toEqual([
      "removed file tests/test_router.py",
    ]);
  });

  it("does not report an added source file as a test file", () => {
    expect(summarise("src/router.py", "source", "Python", ["@@ -0,0 +1 @@", "+def test_like_name(): pass"], "added")).toEqual([]);
  });
});

describe("test functions", () => {
  it("reads pytest functions and classes, not helpers, comments or renamed-in-place duplicates", () => {
    expect(
      summarise("tests/router/test_kv_router.py", "test", "Python", [
        "@@ -20,8 +20,12 @@ import pytest",
        "+class TestKvRouter:",
        "+    async def test_routes_to_least_loaded(self, router):",
        "+        pass",
        "-def test_overlap_score():",
        "+def test_overlap_score(tmp_path):",
        "+def helper_make_router():",
        "+# def test_disabled():",
        "-def test_removed_case():",
      ]),
    ).toEqual([
      "added function TestKvRouter @20",
      "removed function test_removed_case @21",
      "added function test_routes_to_least_loaded @21",
    ]);
  });

  it("reads Go tests and benchmarks with a *testing parameter only", () => {
    expect(
      summarise("deploy/operator/internal/dgdr_test.go", "test", "Go", [
        "@@ -10,2 +10,6 @@",
        "+func TestReconcileCreatesDeployment(t *testing.T) {",
        "+func BenchmarkPlanner(b *testing.B) {",
        "+func TestMain(m *testing.M) {",
        "+func newTestClient(t *testing.T) client.Client {",
      ]),
    ).toEqual(["added function TestReconcileCreatesDeployment @10", "added function BenchmarkPlanner @11"]);
  });

  it("reads Rust #[test] and #[tokio::test] functions in source files, across attribute lines", () => {
    expect(
      summarise("lib/runtime/src/logging.rs", "source", "Rust", [
        "@@ -400,8 +400,14 @@ mod tests {",
        "     #[test]",
        "-    fn test_jsonl_format() {",
        "+    fn jsonl_includes_span_events() {",
        " ",
        '+    #[tokio::test(flavor = "multi_thread")]',
        "+    #[ignore]",
        "+    async fn span_events_in_subprocess() {",
        "+    fn not_a_test() {",
        "+    #[cfg(test)]",
        "+    mod more {",
      ]),
    ).toEqual([
      "removed function test_jsonl_format @401",
      "added function jsonl_includes_span_events @401",
      "added function span_events_in_subprocess @405",
    ]);
  });

  it("reads Jest/Vitest names as the strings, not RegExp.test or commented cases", () => {
    expect(
      summarise("src/facts/diff-lines.test.ts", "test", "TypeScript", [
        "@@ -1,3 +1,7 @@",
        '+describe("walkDiff", () => {',
        "+  it('numbers added lines', () => {",
        "+  test.each([[1], [2]])(\"handles %i\", (n) => {",
        "+    expect(/x/.test(line)).toBe(true);",
        '+  // it("later", () => {});',
        '-  it("numbers lines", () => {',
      ]),
    ).toEqual([
      "removed function numbers lines @1",
      "added function walkDiff @1",
      "added function numbers added lines @2",
      "added function handles %i @3",
    ]);
  });

  it("reads gtest TEST/TEST_F as Suite.Name", () => {
    expect(
      summarise("lib/llm/tests/block_test.cc", "test", "C++", [
        "@@ -5,3 +5,6 @@",
        "+TEST(BlockManager, AllocatesContiguousBlocks) {",
        "+TEST_F(KvCacheFixture, EvictsLeastRecentlyUsed) {",
        "-TEST(BlockManager, Legacy) {",
        "+  EXPECT_EQ(TEST_VALUE(1, 2), 3);",
      ]),
    ).toEqual([
      "removed function BlockManager.Legacy @5",
      "added function BlockManager.AllocatesContiguousBlocks @5",
      "added function KvCacheFixture.EvictsLeastRecentlyUsed @6",
    ]);
  });

  it("ignores test-shaped names outside test files, except Rust", () => {
    expect(summarise("src/util.py", "source", "Python", ["@@ -1 +1 @@", "+def test_connection(host):"])).toEqual([]);
    expect(summarise("src/app.ts", "source", "TypeScript", ["@@ -1 +1 @@", '+it("x", () => {});'])).toEqual([]);
  });

  it("does not report a test both removed and added (moved)", () => {
    expect(
      summarise("tests/test_a.py", "test", "Python", ["@@ -1,3 +1,3 @@", "-def test_a():", " x = 1", "+def test_a():"]),
    ).toEqual([]);
  });
});
