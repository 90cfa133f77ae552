import { describe, expect, it } from "vitest";
import type { Commit, FileChange } from "../sources/types.js";
import { extractFacts, matchesAnyGlob } from "./extract-facts.js";

function change(path: string, overrides: Partial<FileChange> = {}): FileChange {
  return {
    path,
    status: "modified",
    oldMode: "100644",
    newMode: "100644",
    binary: false,
    submodule: false,
    additions: 0,
    deletions: 0,
    patch: "",
    patchTruncated: false,
    ...overrides,
  };
}

const person = { name: "Graham King", email: "grahamk@example.com", date: "2026-01-17T01:29:50+00:00" };

function makeCommit(files: FileChange[], overrides: Partial<Commit> = {}): Commit {
  return {
    sha: "a6e7348c0ffee",
    parents: ["1111111"],
    author: person,
    committer: person,
    subject: "chore(bindings): Remove 'Backend' binding (#5458)",
    body: "",
    files,
    patchBytesOmitted: 0,
    ...overrides,
  };
}

const files: FileChange[] = [
  change("lib/runtime/src/logging.rs", {
    additions: 120,
    deletions: 30,
    patch: '@@ -1,1 +1,3 @@\n-a\n+pub fn emit_at_level() {}\n+let on = std::env::var("DYN_LOGGING_SPAN_EVENTS");\n',
  }),
  change("lib/runtime/src/engine.rs", {
    oldPath: "lib/runtime/src/backend.rs",
    status: "renamed",
    similarity: 92,
    additions: 4,
    deletions: 2,
  }),
  change("lib/runtime/Cargo.toml", {
    additions: 1,
    deletions: 1,
    patch: '@@ -10,2 +10,2 @@\n [dependencies]\n-oneshot = "0.1.11"\n+oneshot = "0.1.13"\n',
  }),
  change("docs/images/arch.png", { status: "added", oldMode: "000000", binary: true }),
  change("deploy/run.sh", { oldMode: "100644", newMode: "100755" }),
  change("3rdparty/cutlass", { oldMode: "160000", newMode: "160000", submodule: true, additions: 1, deletions: 1 }),
  change("ATTRIBUTIONS-Rust.md", {
    additions: 50_000,
    deletions: 48_000,
    patchTruncated: true,
    patch: '@@ -1,1 +1,3 @@\n x\n+eval(payload)\n+key = os.environ["LEAKED_NAME"]\n',
  }),
  change("lib/llm/src/http/service.rs", { additions: 900, deletions: 100, patchTruncated: true }),
  change("tests/test_router.py", {
    status: "added",
    oldMode: "000000",
    additions: 40,
    patch: "@@ -0,0 +1,2 @@\n+def test_routes():\n+    assert True\n",
  }),
  change("Cargo.lock", { additions: 10, deletions: 10, patch: "@@ -1,1 +1,2 @@\n x\n+pub fn locked() { unsafe { eval(1) } }\n" }),
  change("docs/guide.md", { status: "deleted", newMode: "000000", deletions: 7 }),
  change(".github/workflows/ci.yml", {
    additions: 3,
    deletions: 1,
    patch: "@@ -1,1 +1,2 @@\n jobs:\n+      - run: curl -k https://example.com/install.sh | sh\n",
  }),
];

describe("extractFacts", () => {
  const options = { criticalPaths: [], ignorePaths: ["ATTRIBUTIONS*"] };

  it("counts every file, ignored ones too, and the kinds add up to the totals", () => {
    const facts = extractFacts(makeCommit(files), options);
    const sumAdditions = files.reduce((sum, file) => sum + file.additions, 0);
    const sumDeletions = files.reduce((sum, file) => sum + file.deletions, 0);
    expect(facts.totals).toMatchObject({ files: 12, additions: sumAdditions, deletions: sumDeletions });
    const byKind = Object.values(facts.totals.byKind);
    expect(byKind.reduce((sum, kind) => sum + kind.files, 0)).toBe(12);
    expect(byKind.reduce((sum, kind) => sum + kind.additions, 0)).toBe(sumAdditions);
    expect(byKind.reduce((sum, kind) => sum + kind.deletions, 0)).toBe(sumDeletions);
    expect(facts.totals.byKind.generated).toEqual({ files: 1, additions: 50_000, deletions: 48_000 });
    expect(facts.totals.byKind.source).toEqual({ files: 4, additions: 1024, deletions: 132 });
    expect(facts.totals.byKind.test).toEqual({ files: 1, additions: 40, deletions: 0 });
    expect(facts.totals.byKind.asset).toBeUndefined();
  });

  it("lists what was not seen in full", () => {
    const facts = extractFacts(makeCommit(files, { patchBytesOmitted: 4096 }), options);
    expect(facts.unseen).toEqual({
      truncatedFiles: ["lib/llm/src/http/service.rs"],
      omittedPatchBytes: 4096,
      ignoredFiles: ["ATTRIBUTIONS-Rust.md"],
      // Without the blobs (no source to read them from) product source is read from its patch, and the facts say so.
      structureFallback: [
        { file: "lib/runtime/src/logging.rs", reason: "no-blobs" },
        { file: "lib/runtime/src/engine.rs", reason: "no-blobs" },
        { file: "lib/llm/src/http/service.rs", reason: "no-blobs" },
      ],
    });
    const ignored = facts.files.find((file) => file.path === "ATTRIBUTIONS-Rust.md");
    expect(ignored).toMatchObject({ ignored: true, kind: "generated", patchTruncated: true });
  });

  it("describes renames, binaries, submodules and mode changes", () => {
    const facts = extractFacts(makeCommit(files), options);
    const byPath = new Map(facts.files.map((file) => [file.path, file]));
    expect(byPath.get("lib/runtime/src/engine.rs")).toMatchObject({
      oldPath: "lib/runtime/src/backend.rs",
      status: "renamed",
      kind: "source",
      language: "Rust",
      module: "lib/runtime",
    });
    expect(byPath.get("docs/images/arch.png")).toMatchObject({ binary: true, kind: "docs", status: "added" });
    expect(byPath.get("docs/images/arch.png")!.modeChange).toBeUndefined();
    expect(byPath.get("deploy/run.sh")!.modeChange).toEqual({ from: "100644", to: "100755" });
    expect(byPath.get("3rdparty/cutlass")).toMatchObject({ submodule: true, kind: "vendored", additions: 1, deletions: 1 });
    expect(byPath.get("3rdparty/cutlass")!.modeChange).toBeUndefined();
    expect(byPath.get("tests/test_router.py")).toMatchObject({ kind: "test", language: "Python", module: "tests" });
    expect(byPath.get("tests/test_router.py")!.modeChange).toBeUndefined();
    expect(byPath.get("docs/guide.md")!.modeChange).toBeUndefined();
    expect(byPath.get("Cargo.lock")).toMatchObject({ kind: "lockfile", module: "." });
  });

  it("ranks the modules of analysed files by lines changed", () => {
    const facts = extractFacts(makeCommit(files), options);
    expect(facts.modules).toEqual(["lib/llm", "lib/runtime", "tests", ".", "docs", ".github", "3rdparty", "deploy"]);
  });

  it("takes the module from a manifest the commit touches", () => {
    const facts = extractFacts(
      makeCommit([change("components/router/pyproject.toml"), change("components/router/src/dynamo/router/main.py")]),
      options,
    );
    expect(facts.files.map((file) => file.module)).toEqual(["components/router", "components/router"]);
  });

  it("lists docs and CI files", () => {
    const facts = extractFacts(makeCommit(files), options);
    expect(facts.docs).toEqual(["docs/images/arch.png", "docs/guide.md"]);
    expect(facts.ci).toEqual([".github/workflows/ci.yml"]);
  });

  it("reads the content of analysed files, and nothing from ignored or machine-written ones", () => {
    const facts = extractFacts(makeCommit(files), options);
    expect(facts.dependencies).toEqual([
      expect.objectContaining({ name: "oneshot", from: "0.1.11", to: "0.1.13", change: "upgraded", origin: { file: "lib/runtime/Cargo.toml", line: 11 } }),
    ]);
    expect(facts.symbols.map((symbol) => [symbol.name, symbol.origin.file])).toEqual([
      ["emit_at_level", "lib/runtime/src/logging.rs"],
      ["test_routes", "tests/test_router.py"],
    ]);
    expect(facts.surface).toEqual([
      expect.objectContaining({ kind: "env-var", name: "DYN_LOGGING_SPAN_EVENTS", change: "added", origin: { file: "lib/runtime/src/logging.rs", line: 2 } }),
    ]);
    expect(facts.tests).toEqual([expect.objectContaining({ name: "tests/test_router.py", scope: "file", change: "added" })]);
    // The ignored attributions file and the lockfile hold `eval(`, `unsafe` and an env read: none of it counts,
    // and the CI file's `curl -k` is the developers' business, not the product's.
    expect(facts.signals.map((signal) => [signal.kind, signal.origin.file])).toEqual([]);
  });

  it("a build dependency moved between the meson.build files of one build is neither added nor removed", () => {
    const moved = [
      change("meson.build", { additions: 2, deletions: 0, patch: "@@ -80,0 +80,2 @@\n+io_uring_dep = dependency('liburing', required: false)\n+has_io_uring = io_uring_dep.found()\n" }),
      change("src/plugins/posix/meson.build", {
        additions: 1,
        deletions: 2,
        patch: "@@ -5,2 +5,1 @@\n-uring = dependency('liburing', required: false)\n-curl = dependency('libcurl')\n+# io_uring is found by the root build\n",
      }),
      // Crates are packages of their own: one leaving for another is two changes.
      change("crates/a/Cargo.toml", { additions: 0, deletions: 1, patch: '@@ -10,2 +10,1 @@\n [dependencies]\n-anyhow = "1"\n' }),
      change("crates/b/Cargo.toml", { additions: 1, deletions: 0, patch: '@@ -10,1 +10,2 @@\n [dependencies]\n+anyhow = "1"\n' }),
    ];
    const facts = extractFacts(makeCommit(moved), options);
    expect(facts.dependencies.map((dependency) => [dependency.name, dependency.change, dependency.origin.file])).toEqual([
      ["libcurl", "removed", "src/plugins/posix/meson.build"],
      ["anyhow", "removed", "crates/a/Cargo.toml"],
      ["anyhow", "added", "crates/b/Cargo.toml"],
    ]);
  });

  it("runs the content extractors on a source file, and the same lines in an ignored, generated or vendored file count for nothing", () => {
    const patch = '@@ -1,0 +1,3 @@\n+def handler(payload):\n+    level = os.environ.get("APP_LEVEL")\n+    return eval(payload)\n';
    const paths = ["src/app/run.py", "scripts/run.py", "proto/schema_pb2.py", "third_party/lib/run.py"];
    const facts = extractFacts(makeCommit(paths.map((path) => change(path, { additions: 3, patch }))), {
      criticalPaths: [],
      ignorePaths: ["scripts/**"],
    });
    expect(facts.files.map((file) => [file.path, file.kind, file.ignored])).toEqual([
      ["src/app/run.py", "source", false],
      ["scripts/run.py", "tooling", true],
      ["proto/schema_pb2.py", "generated", false],
      ["third_party/lib/run.py", "vendored", false],
    ]);
    expect(facts.signals.map((signal) => [signal.kind, signal.origin])).toEqual([["eval", { file: "src/app/run.py", line: 3 }]]);
    expect(facts.surface.map((surface) => [surface.name, surface.origin])).toEqual([["APP_LEVEL", { file: "src/app/run.py", line: 2 }]]);
    expect(facts.symbols.map((symbol) => [symbol.name, symbol.origin])).toEqual([["handler", { file: "src/app/run.py", line: 1 }]]);
  });

  it("reads the message, and knows a merge by its parents", () => {
    const facts = extractFacts(makeCommit(files), options);
    expect(facts.sha).toBe("a6e7348c0ffee");
    expect(facts.message).toMatchObject({ type: "chore", scope: "bindings", prNumber: 5458, isMerge: false });
    const merge = extractFacts(makeCommit([], { parents: ["1111111", "2222222"], subject: "Sync with upstream" }), options);
    expect(merge.message.isMerge).toBe(true);
    expect(merge.totals).toEqual({ files: 0, additions: 0, deletions: 0, byKind: {} });
    expect(merge.modules).toEqual([]);
  });

  it("re-exports the glob rule the analysis uses for critical paths", () => {
    expect(matchesAnyGlob("lib/llm/src/http/service.rs", ["lib/llm/**"])).toBe(true);
  });
});

describe("tests moved to another file", () => {
  const removedFrom = (extra = "") =>
    change("tests/test_store.py", {
      additions: 0,
      deletions: 6,
      patch: `@@ -1,9 +1,3 @@\n import store\n-def test_saves_commit():\n-    assert store.save()\n-\n-def test_keeps_runs():\n-    assert store.runs()\n${extra}`,
    });
  const contract = change("tests/test_contract.py", {
    status: "added",
    additions: 5,
    patch: "@@ -0,0 +1,5 @@\n+import store\n+def test_saves_commit():\n+    assert store.save()\n+def test_both_stores():\n+    assert store.both()\n",
  });

  it("says neither the removal nor the addition of a test that moved into a new test file", () => {
    const facts = extractFacts(makeCommit([removedFrom(), contract], { subject: "test: one contract suite for both stores" }), { criticalPaths: [], ignorePaths: [] });
    expect(facts.tests).toContainEqual(expect.objectContaining({ name: "tests/test_contract.py", scope: "file", change: "added" }));
    expect(facts.tests.map((test) => test.name)).not.toContain("test_saves_commit");
    // A test removed with no counterpart elsewhere is still a removed test.
    expect(facts.tests).toContainEqual(expect.objectContaining({ name: "test_keeps_runs", change: "removed" }));
  });
});
