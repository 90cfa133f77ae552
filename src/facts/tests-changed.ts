/**
 * Tests added or removed. A test file added or deleted is one entry for the whole file;
 * in a modified test file, each test function or case whose declaring line changed is one
 * entry. Rust tests live beside the code (`#[cfg(test)] mod tests`), so `#[test]`
 * functions are read in every Rust file; other languages only in files classified as tests.
 */
import type { FileChange } from "../sources/types.js";
import type { FileKind, TestChange } from "./types.js";
import { detectFamily, dropMoved, findChangedHits, matchWithIndices, parsePatch } from "./patch-scan.js";
import type { LanguageFamily, ParsedPatch, PatternHit } from "./patch-scan.js";

interface Hit extends PatternHit {
  name: string;
}

type Scan = (text: string) => Hit[];

/**
 * A scan, and a test of the raw patch that it needs to pass to find anything (a piece of
 * every match that stands on one line), so that most patches are never split for it.
 */
interface Scanner {
  scan: Scan;
  keyword: RegExp;
}

/** `patch` is the file's patch, parsed once by the caller and shared with the other extractors. */
export function extractTestChanges(
  file: FileChange,
  kind: FileKind,
  language: string | undefined,
  patch: ParsedPatch = parsePatch(file.patch),
): TestChange[] {
  const isTestFile = kind === "test";
  if (isTestFile && (file.status === "added" || file.status === "copied" || file.status === "deleted")) {
    return [{ name: file.path, scope: "file", change: file.status === "deleted" ? "removed" : "added", origin: { file: file.path } }];
  }
  return scanTestFunctions(file, kind, language, patch);
}

/**
 * The test functions and cases whose declaring line the patch adds or removes, in any test
 * file, whole new or deleted ones included: what pairs a test moved to another file with
 * its old place (see dropTestsMovedAcrossFiles in extract-facts.ts).
 */
export function scanTestFunctions(file: FileChange, kind: FileKind, language: string | undefined, patch: ParsedPatch = parsePatch(file.patch)): TestChange[] {
  const isTestFile = kind === "test";
  if (file.binary || file.patch === "") return [];
  const family = detectFamily(file.path, language);
  const scanners = family === undefined ? [] : selectScanners(family, isTestFile).filter((scanner) => scanner.keyword.test(patch.text));
  if (scanners.length === 0) return [];
  const found = findChangedHits(patch, family, (text) => scanners.flatMap((scanner) => scanner.scan(text))).map(
    ({ hit, change, line }) => ({ name: hit.name, change, line }),
  );
  return dropMoved(found, (f) => f.name)
    .sort((a, b) => a.line - b.line)
    .map((f) => ({ name: f.name, scope: "function", change: f.change, origin: { file: file.path, line: f.line } }));
}

function selectScanners(family: LanguageFamily, isTestFile: boolean): Scanner[] {
  if (family === "rust") return [scanRustTests];
  if (!isTestFile) return [];
  switch (family) {
    case "python":
      return [scanPythonTests];
    case "go":
      return [scanGoTests];
    case "js":
      return [scanJsTests];
    case "c":
      return [scanCppTests];
    default:
      return [];
  }
}

function groupScanner(pattern: RegExp, group = 1): Scan {
  return (text) => [...matchWithIndices(text, pattern)].map((m) => ({ name: m[group]!, at: [m.indices[group]![0]] }));
}

/** pytest collection: `test_*` functions and `Test*` classes. https://docs.pytest.org/en/stable/explanation/goodpractices.html#conventions-for-python-test-discovery */
const PYTHON_TESTS = [
  groupScanner(/^[ \t]*(?:async\s+)?def\s+(test_\w*)\s*\(/dgm),
  groupScanner(/^[ \t]*class\s+(Test\w*)\s*[(:]/dgm),
];
const scanPythonTests: Scanner = { keyword: /test_|Test/, scan: (text) => PYTHON_TESTS.flatMap((scan) => scan(text)) };

/** https://pkg.go.dev/testing */
const GO_TESTS = [
  groupScanner(/^func\s+((?:Test|Benchmark|Fuzz)\w*)\s*\(\s*\w+\s+\*testing\.[TBF]\s*\)/dgm),
  groupScanner(/^func\s+(Example\w*)\s*\(\s*\)/dgm),
];
const scanGoTests: Scanner = { keyword: /Test|Benchmark|Fuzz|Example/, scan: (text) => GO_TESTS.flatMap((scan) => scan(text)) };

const RUST_TEST_ATTRIBUTE = /#\[\s*(?:[\w]+::)*(?:test|rstest|test_case)\b(?:\s*\([^\]]*\))?\s*\]/dg;
const FN_AFTER_ATTRIBUTES = /^(?:\s*(?:#\[[^\]]*\]|\/\/[^\n]*))*\s*(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+([A-Za-z_]\w*)/d;

/** `#[test]`, `#[tokio::test]`, `#[rstest]`... then the `fn` they mark: a change to either line counts. */
const scanRustTests: Scanner = {
  keyword: /test/,
  scan: (text) => {
    const hits: Hit[] = [];
    for (const m of matchWithIndices(text, RUST_TEST_ATTRIBUTE)) {
      const end = m.indices[0]![1];
      const fn = FN_AFTER_ATTRIBUTES.exec(text.slice(end));
      if (fn?.indices) hits.push({ name: fn[1]!, at: [end + fn.indices[1]![0], m.index] });
    }
    return hits;
  },
};

/** Jest/Vitest/Mocha `it("...")`, `test.each(...)("...")`, `describe.skip("...")`: the name is the string. */
const JS_TEST =
  /(?<![\w.$])(?:it|test|describe)(?:\.(?:only|skip|todo|concurrent|sequential|fails|each\s*\([^)]*\)|each\s*`[^`]*`))*\s*\(\s*(["'`])((?:(?!\1)[^\\\n]|\\.)+)\1/dg;
const scanJsTests: Scanner = { keyword: /it|test|describe/, scan: groupScanner(JS_TEST, 2) };

/** GoogleTest `TEST(Suite, Name)` → `Suite.Name`; Catch2 `TEST_CASE("name")`. */
const GOOGLE_TEST = /\b(?:TEST|TEST_F|TEST_P|TYPED_TEST|TYPED_TEST_P)\s*\(\s*(\w+)\s*,\s*(\w+)\s*\)/dg;
const scanCatch2Tests = groupScanner(/\b(?:TEST_CASE|SCENARIO)\s*\(\s*"([^"]+)"/dg);
const scanCppTests: Scanner = {
  keyword: /TEST|SCENARIO/,
  scan: (text) => [
    ...[...matchWithIndices(text, GOOGLE_TEST)].map((m) => ({ name: `${m[1]}.${m[2]}`, at: [m.indices[2]![0]] })),
    ...scanCatch2Tests(text),
  ],
};
