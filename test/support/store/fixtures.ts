/** Hand-built commits, facts and analyses for the store's tests. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CommitAnalysis } from "../../../src/analysis/types.js";
import type { CommitFacts } from "../../../src/facts/types.js";
import type { Commit, FileChange } from "../../../src/sources/types.js";
import type { SearchEntry } from "../../../src/store/types.js";

/** A fresh folder under the system temp dir; the caller removes it. */
export function makeTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "repo-digest-store-"));
}

/** A 40-hex SHA that differs for every `n`. */
export function makeSha(n: number): string {
  return n.toString(16).padStart(40, "0");
}

export function makeFile(overrides: Partial<FileChange> = {}): FileChange {
  return {
    path: "src/index.ts",
    status: "modified",
    oldMode: "100644",
    newMode: "100644",
    binary: false,
    submodule: false,
    additions: 2,
    deletions: 1,
    patch: "@@ -1,2 +1,3 @@\n-const a = 1;\n+const a = 2;\n+const b = 3;\n export { a };\n",
    patchTruncated: false,
    ...overrides,
  };
}

export function makeCommit(overrides: Partial<Commit> = {}): Commit {
  return {
    sha: makeSha(1),
    parents: [makeSha(0)],
    author: { name: "Ada Lovelace", email: "ada@example.com", date: "2026-01-17T06:06:33+08:00" },
    committer: { name: "Grace Hopper", email: "grace@example.com", date: "2026-01-17T07:00:00+08:00" },
    subject: "feat(core): add retries",
    body: "Retries failed fetches three times.\n\nCloses #12.",
    files: [makeFile()],
    patchBytesOmitted: 0,
    ...overrides,
  };
}

export function makeFacts(sha: string, overrides: Partial<CommitFacts> = {}): CommitFacts {
  return {
    sha,
    message: {
      type: "feat",
      scope: "core",
      breaking: false,
      tags: [],
      description: "add retries",
      isRevert: false,
      isMerge: false,
      coAuthors: [],
      signedOffBy: [],
      isBot: false,
      points: [],
      fixes: [],
    },
    files: [
      {
        path: "src/index.ts",
        status: "modified",
        additions: 2,
        deletions: 1,
        binary: false,
        submodule: false,
        language: "TypeScript",
        module: "src",
        kind: "source",
        patchTruncated: false,
        ignored: false,
      },
    ],
    modules: ["src"],
    totals: { files: 1, additions: 2, deletions: 1, byKind: { source: { files: 1, additions: 2, deletions: 1 } } },
    dependencies: [],
    versions: [],
    surface: [],
    symbols: [
      {
        name: "b",
        kind: "constant",
        language: "TypeScript",
        change: "added",
        exported: false,
        basis: "patch",
        origin: { file: "src/index.ts", line: 2 },
      },
    ],
    tests: [],
    docs: [],
    ci: [],
    signals: [],
    unseen: { truncatedFiles: [], omittedPatchBytes: 0, ignoredFiles: [], structureFallback: [] },
    ...overrides,
  };
}

export function makeAnalysis(sha: string, overrides: Partial<CommitAnalysis> = {}): CommitAnalysis {
  return {
    sha,
    analyzer: { name: "rules", version: "1.0.0" },
    lang: "en",
    changeType: "feature",
    importance: "medium",
    score: 4,
    reasons: [{ code: "source-lines", weight: 2, params: { lines: 3 }, text: "3 lines of source changed" }],
    narrative: {
      summary: "Adds retries to the core module.",
      impact: ["src/index.ts"],
      insights: [],
      risks: [],
      recommendations: [{ audience: "maintainers", text: "Check retry limits." }],
    },
    notes: [],
    ...overrides,
  };
}

/** An indexed commit of nothing much: tests give what they search for. */
export function makeSearchEntry(n: number, overrides: Partial<SearchEntry> = {}): SearchEntry {
  return {
    sha: makeSha(n),
    committedAt: "2026-01-17T07:00:00+08:00",
    author: "Ada Lovelace",
    bot: false,
    title: `chore: housekeeping ${n}`,
    body: "",
    labels: [],
    lang: "en",
    importance: "low",
    changeType: "chore",
    analysisText: "Routine maintenance.",
    paths: ["README.md"],
    modules: ["docs"],
    symbols: [],
    envVars: [],
    flags: [],
    configKeys: [],
    dependencies: [],
    apiAdded: 0,
    apiRemoved: 0,
    breaking: false,
    churn: [],
    ...overrides,
  };
}
