import { describe, expect, it } from "vitest";
import { CONVENTIONAL_TYPE_WORDS, parseMessage } from "../../facts/parse-message.js";
import type { CommitFacts, FileFacts } from "../../facts/types.js";
import type { ChangeType } from "../types.js";
import { classifyChangeType, decideChangeType } from "./change-type.js";
import { makeDependency, makeFacts, makeFile, makeSymbol, type FactsSpec } from "../../../test/support/analysis/rules/fixtures.js";

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

    it("a base image moved in Dockerfiles alone is the build, with or without dependabot's deps scope", () => {
      const files = [makeFile("Dockerfile", "build")];
      const dependencies = [makeDependency("debian", "bookworm-slim@e5865e6", "bookworm-slim@6ac2c08", "Dockerfile", { ecosystem: "docker" })];
      expect(classifyChangeType(makeFacts({ files, dependencies }))).toBe("build");
      expect(classifyChangeType(makeFacts({ message: { type: "chore", scope: "deps" }, files, dependencies }))).toBe("build");
      // Beside a manifest it is a dependency bump.
      const withManifest = [...files, makeFile("Cargo.toml", "manifest")];
      expect(classifyChangeType(makeFacts({ message: { type: "chore", scope: "deps" }, files: withManifest, dependencies }))).toBe("dependency");
    });

    it("an action pinned in workflows alone is CI, whatever dependabot's scope or a fix says", () => {
      const files = [makeFile(".github/workflows/ci.yml", "ci")];
      expect(classifyChangeType(makeFacts({ message: { type: "chore", scope: "deps" }, files }))).toBe("ci");
      expect(classifyChangeType(makeFacts({ message: { type: "fix", scope: "cd" }, files }))).toBe("ci");
      // A fix of code stays a fix.
      expect(classifyChangeType(makeFacts({ message: { type: "fix", scope: "ci" }, files: [...files, makeFile("src/app.py", "source")] }))).toBe("bugfix");
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

const author = { name: "Ada", email: "ada@example.com" };
const sourceFiles: FileFacts[] = [makeFile("src/core/agent.cpp", "source")];

/** Facts as the pipeline builds them: the subject through parseMessage, the diff as given (source files unless told). */
function factsForSubject(subject: string, spec: Omit<FactsSpec, "message"> = {}, body = ""): CommitFacts {
  return makeFacts({ files: sourceFiles, ...spec, message: parseMessage(subject, body, author) });
}

describe("change type of subjects without Conventional Commits", () => {
  // A week of ai-dynamo/nixl subjects (PRs #1081 to #1207), as merged.
  it.each<[string, ChangeType, Omit<FactsSpec, "message">?]>([
    ["Fix UCCL's consistency checks (#1151)", "bugfix"],
    ["nixl_ep: Unify data and counter buffers (#1186)", "refactor"],
    ["libfabric(feat): Enable infinite retry at EFA Firmware (#1207)", "feature"],
    ["nixl_ep: eliminate channels modulo (#1200)", "refactor"],
    ["NIXL/PROMETHEUS: Fixed build with new cmake (#1196)", "bugfix", { files: [makeFile("src/plugins/telemetry/prometheus/meson.build", "build")] }],
    [
      "Apply patch for security issue in Prometheus plugin dependency (#1204)",
      "bugfix",
      { files: [makeFile("subprojects/packagefiles/fix-civetweb-security.patch", "other"), makeFile("subprojects/prometheus-cpp.wrap", "build")] },
    ],
    ["benchmark/nixlbench: Add --filenames param (#1192)", "feature"],
    ["benchmark/nixlbench: Fixes #1152 - GUSLI auto-generated conf (#1193)", "bugfix"],
    ["COPYRIGHT: bump SPDX year to 2025-2026 for PR 1081 touched files (#1197)", "chore"],
    ["CI: Increase test sleep (#1081)", "ci"],
    ["nixl_ep: Fix barrier with rank connect/disconnect (#1189)", "bugfix"],
    // "Update" says nothing but "dependency" and there is none: the diff (CODEOWNERS is config) decides.
    ["nixl_ep: Update CODEOWNERS (#1191)", "config", { files: [makeFile("CODEOWNERS", "config")] }],
  ])("nixl: %s → %s", (subject, expected, spec) => {
    expect(classifyChangeType(factsForSubject(subject, spec))).toBe(expected);
  });

  it.each<[string, ChangeType]>([
    // LLVM
    ["[clang] Fix crash on invalid constexpr initializer", "bugfix"],
    ["[X86] Add AVX10.2 intrinsics", "feature"],
    ["[AArch64] Remove unused SVE predicates", "refactor"],
    ["[mlir][NFC] Rename getDefiningOp helpers", "refactor"],
    ["[NFC][SLP] Use a range-based loop", "refactor"],
    // PyTorch
    ["[inductor] Optimize reduction codegen", "performance"],
    ["[inductor] Speed up compilation of large graphs", "performance"],
    ["[dynamo] Added tests for guard failures", "test"],
    ["[export] Support dynamic shapes in torch.export", "feature"],
    // Go
    ["net/http: add Server.Protocols field", "feature"],
    ["cmd/compile: fix miscompilation of min/max", "bugfix"],
    ["runtime: reduce GC latency under contention", "performance"],
    ["os: document ReadDir ordering", "docs"],
    ["cmd/go, go/build: reject empty import paths", "chore"],
    // Linux
    ["net: ipv4: fix a leak in ip_tunnel_init", "bugfix"],
    ["drm/i915/gt: Clean up the reset path", "refactor"],
    ["mm: reformat comments in page_alloc", "style"],
    ["selftests/bpf: Add test for map iterators", "test"],
    // Kubernetes and others
    ["Fix kubelet panic on nil pod status", "bugfix"],
    ["Minor fixes in the scheduler", "bugfix"],
    ["Initial support for ROCm devices", "feature"],
    ["Mooncake plugin: fix checkXfer use-after-free", "bugfix"],
    ["posix: naming fixed", "bugfix"],
    ["Use C++20 likely/unlikely instead of __builtin_expect", "refactor"],
    ["Ran black on device/ep files", "style"],
    ["Add missing const to Buffer::query_mask_buffer", "bugfix"],
    ["Metadata: Do not crash if peer closed connection", "bugfix"],
    ["Guard postXferReq against stale-generation handles", "bugfix"],
    ["Make OBJ plugin queryMem launch all requests in parallel", "performance"],
    ["PLUGIN/UCX: Improve UCX context&worker logging", "feature"],
    ["PLUGINS/UCX: Improve the performance by specifying memory type", "performance"],
    ["UCX: revert commit c40c9fe because root cause was fixed", "revert"],
    ["Refactoring: derive nixlUcxThreadPoolEngine from nixlUcxThreadEngine", "refactor"],
    ["test/gtest: fix flaky router test", "test"],
    ["tests: fix flaky router test", "test"],
    ["EP/TESTS: Kineto sentinel check", "test"],
    ["Docs/python: Use docstring standard", "docs"],
    ["CI/BUILD: Change TMPDIR name", "ci"],
    ["tools/perf: fix a crash in perf report", "bugfix"],
    ["Update the docs for the retry budget", "docs"],
  ])("%s → %s", (subject, expected) => {
    expect(classifyChangeType(factsForSubject(subject))).toBe(expected);
  });

  describe("near misses", () => {
    it.each<[string, ChangeType, string]>([
      ["Fixture cleanup", "refactor", "whole words only: not a fix; the closing noun 'cleanup' makes it a refactor"],
      ["Prefix cache hit rate for long prompts", "chore", "'Prefix' is not 'fix'"],
      ["Address review comments", "chore", "'address' says nothing of the kind of change"],
      ["Merge sort for the scheduler queue", "chore", "not a merge, and 'merge' is no verb of the table"],
      ["Added tests for the KV router", "test", "the object is tests"],
      ["Adding more unit tests for X", "test", "the object is tests"],
      ["Support test variants", "test", "the object is tests"],
      ["Improve error messages", "feature", "'improve' without a performance word is an enhancement"],
      ["Reduce log noise", "chore", "'reduce' without a performance word says nothing"],
      ["Apply review suggestions", "chore", "'apply' is a fix only for a patch or a fix"],
      ["Update CA cert discovery", "chore", "'update' is a dependency change only when the diff bumps one"],
      ["Note: the cache is now per process", "chore", "a prose label, and no verb after it"],
    ])("%s → %s (%s)", (subject, expected) => {
      expect(classifyChangeType(factsForSubject(subject))).toBe(expected);
    });

    it("lets a one-kind diff of tests, docs or CI overrule the verb", () => {
      expect(classifyChangeType(factsForSubject("Fix race in telemetry test", { files: testFiles }))).toBe("test");
      expect(classifyChangeType(factsForSubject("Fix typos in documentation files", { files: docsFiles }))).toBe("docs");
      expect(classifyChangeType(factsForSubject("Fix wheel build", { files: [makeFile("meson.build", "build")] }))).toBe("bugfix");
    });

    it("reads a removal as a refactor unless public API went away", () => {
      expect(classifyChangeType(factsForSubject("Remove dead flush path"))).toBe("refactor");
      const removedApi = factsForSubject("UTILS: Remove strEqual", {
        symbols: [makeSymbol("strEqual", "removed", "src/core/agent.cpp", { language: "C++" })],
      });
      expect(decideChangeType(removedApi)).toEqual({ type: "chore", source: "facts" });
    });

    it("reads bump/upgrade/update as a dependency change only when the diff changes the named dependency", () => {
      const files = [makeFile("go.mod", "manifest"), makeFile("src/core/agent.go", "source")];
      const dependencies = [makeDependency("golang.org/x/net", "v0.29.0", "v0.30.0", "go.mod", { ecosystem: "go" })];
      expect(classifyChangeType(factsForSubject("all: update golang.org/x/net to v0.30.0", { files, dependencies }))).toBe("dependency");
      expect(classifyChangeType(factsForSubject("Bump kube-openapi", { files, dependencies }))).not.toBe("dependency");
      expect(classifyChangeType(factsForSubject("Upgrade DOCA dependency to 3.2"))).toBe("chore");
      expect(classifyChangeType(factsForSubject("Update scheduler logic", { files, dependencies }))).toBe("chore");
    });
  });

  it("records the verb rule as the source, with the words it read", () => {
    expect(decideChangeType(factsForSubject("nixl_ep: Fix barrier with rank connect/disconnect"))).toEqual({
      type: "bugfix",
      source: "verb",
      words: "Fix",
    });
    expect(decideChangeType(factsForSubject("PLUGINS/UCX: Improve the performance by specifying memory type"))).toEqual({
      type: "performance",
      source: "verb",
      words: "Improve … performance",
    });
    expect(decideChangeType(factsForSubject("test/gtest: fix flaky router test"))).toEqual({ type: "test", source: "scope" });
  });

  it("puts the Conventional type, the tag and a revert before the verb", () => {
    expect(classifyChangeType(factsForSubject("chore: fix the release script"))).toBe("chore");
    expect(classifyChangeType(factsForSubject("[Perf] Fix slow path"))).toBe("performance");
    const revert = factsForSubject("Fix the cache again", {}, "This reverts commit 06939770b300f4bf56ed99590d31d6ada3d6a1ec.");
    expect(classifyChangeType(revert)).toBe("revert");
    expect(classifyChangeType(factsForSubject('Revert "[inductor] Fix X"'))).toBe("revert");
  });

  it("maps every type word the parser recognises", () => {
    for (const word of CONVENTIONAL_TYPE_WORDS) {
      expect(decideChangeType(factsForSubject(`${word}: something`)).source).toBe("conventional");
    }
  });
});
