import { describe, expect, it } from "vitest";
import { extractFacts } from "../../facts/extract-facts.js";
import type { CommitDetail, CommitFile } from "./api-schema.js";
import { GITHUB_MAX_COMMIT_FILES, mapCommit, mapFile, splitMessage } from "./map-commit.js";

function detail(overrides: Partial<CommitDetail> = {}): CommitDetail {
  return {
    sha: "a".repeat(40),
    commit: {
      message: "fix(core): stop the leak (#42)\n\nThe pool kept\nevery handle.\n",
      author: { name: "Ada", email: "ada@example.com", date: "2026-01-16T22:06:33Z" },
      committer: { name: "GitHub", email: "noreply@github.com", date: "2026-01-17T01:00:00Z" },
    },
    parents: [{ sha: "b".repeat(40) }],
    ...overrides,
  };
}

function file(overrides: Partial<CommitFile> & { filename: string }): CommitFile {
  return { status: "modified", additions: 0, deletions: 0, ...overrides };
}

describe("mapping a GitHub commit", () => {
  it("splits the message and keeps people and UTC dates as sent", () => {
    const { commit } = mapCommit(detail(), []);
    expect(commit.subject).toBe("fix(core): stop the leak (#42)");
    expect(commit.body).toBe("The pool kept\nevery handle.");
    expect(commit.author).toEqual({ name: "Ada", email: "ada@example.com", date: "2026-01-16T22:06:33Z" });
    expect(commit.committer.date).toBe("2026-01-17T01:00:00Z");
    expect(commit.parents).toEqual(["b".repeat(40)]);
    expect(commit.patchBytesOmitted).toBe(0);
  });

  it("splits a one-line message into a subject and an empty body", () => {
    expect(splitMessage("chore: bump\n")).toEqual({ subject: "chore: bump", body: "" });
    expect(splitMessage("feat: x\n\n\n  body  \n")).toEqual({ subject: "feat: x", body: "body" });
  });

  it("maps GitHub's statuses and keeps the path before a rename", () => {
    const statuses = ["added", "modified", "removed", "renamed", "copied", "changed", "unchanged"].map(
      (status) => mapFile(file({ filename: "x", status, previous_filename: "old/x", additions: 1, patch: "@@ -0,0 +1 @@\n+a" })).status,
    );
    expect(statuses).toEqual(["added", "modified", "deleted", "renamed", "copied", "type-changed", "modified"]);
    expect(mapFile(file({ filename: "new.ts", status: "renamed", previous_filename: "old.ts" }))).toMatchObject({
      path: "new.ts",
      oldPath: "old.ts",
      binary: false,
      patch: "",
      patchTruncated: false,
    });
    expect(mapFile(file({ filename: "m.ts", previous_filename: "ignored.ts" })).oldPath).toBeUndefined();
  });

  it("writes git's absent mode for the missing side of an addition or a deletion", () => {
    expect(mapFile(file({ filename: "a", status: "added", additions: 1, patch: "@@ -0,0 +1 @@\n+a" }))).toMatchObject({
      oldMode: "000000",
      newMode: "100644",
    });
    expect(mapFile(file({ filename: "d", status: "removed", deletions: 1, patch: "@@ -1 +0,0 @@\n-a" }))).toMatchObject({
      oldMode: "100644",
      newMode: "000000",
    });
  });

  it("tells binary files, empty files and too-large diffs apart when GitHub sends no patch", () => {
    expect(mapFile(file({ filename: "logo.png", status: "added", sha: "1".repeat(40) }))).toMatchObject({
      binary: true,
      patchTruncated: false,
    });
    expect(mapFile(file({ filename: "empty.txt", status: "added", sha: "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391" }))).toMatchObject({
      binary: false,
      patchTruncated: false,
    });
    expect(mapFile(file({ filename: "huge.json", additions: 90_000, deletions: 12 }))).toMatchObject({
      binary: false,
      patchTruncated: true,
      additions: 90_000,
      deletions: 12,
      patch: "",
    });
  });

  it("recognises a submodule bump by its patch", () => {
    const bump = mapFile(
      file({
        filename: "vendor/lib",
        additions: 1,
        deletions: 1,
        patch: `@@ -1 +1 @@\n-Subproject commit ${"1".repeat(40)}\n+Subproject commit ${"2".repeat(40)}`,
      }),
    );
    expect(bump).toMatchObject({ submodule: true, oldMode: "160000", newMode: "160000" });
    expect(mapFile(file({ filename: "a.md", additions: 1, patch: "@@ -1 +1,2 @@\n x\n+Subproject commit is a word" })).submodule).toBe(false);
  });

  it("ends every kept patch line with a newline, as git's output does", () => {
    const { commit } = mapCommit(detail(), [file({ filename: "a.ts", additions: 1, deletions: 1, patch: "@@ -1 +1 @@\n-a\n+b" })]);
    expect(commit.files[0]!.patch).toBe("@@ -1 +1 @@\n-a\n+b\n");
  });

  it("cuts patches at the per-file and per-commit caps, counting the dropped bytes", () => {
    const long = ["@@ -0,0 +1,10 @@", ...Array.from({ length: 10 }, (_, i) => `+line ${i}`)].join("\n");
    const files = [
      file({ filename: "a.ts", additions: 10, patch: long }),
      file({ filename: "b.ts", additions: 10, patch: long }),
      file({ filename: "c.ts", additions: 10, patch: long }),
    ];
    const { commit } = mapCommit(detail(), files, { maxPatchBytesPerFile: 60, maxPatchBytesPerCommit: 100 });
    const [a, b, c] = commit.files;
    // "@@ -0,0 +1,10 @@\n" is 17 bytes, each "+line i\n" 8: 17 + 5×8 = 57 fits in 60.
    expect(a!.patch.split("\n").filter(Boolean)).toHaveLength(6);
    expect(a!.patchTruncated).toBe(true);
    // 57 of the commit's 100 bytes are gone: b keeps 17 + 3×8 = 41 more.
    expect(b!.patch.split("\n").filter(Boolean)).toHaveLength(4);
    expect(c!.patch).toBe("");
    expect(c!.patchTruncated).toBe(true);
    expect(c!.additions).toBe(10);
    const whole = 17 + 10 * 8;
    expect(commit.patchBytesOmitted).toBe(3 * whole - 57 - 41);
  });

  it("reports lines past GitHub's file limit as omitted bytes, at their smallest size", () => {
    const files = Array.from({ length: GITHUB_MAX_COMMIT_FILES }, (_, i) =>
      file({ filename: `gen/f${i}.txt`, status: "added", additions: 1, patch: "@@ -0,0 +1 @@\n+x" }),
    );
    const mapped = mapCommit(detail({ stats: { additions: GITHUB_MAX_COMMIT_FILES + 500, deletions: 20 } }), files);
    expect(mapped.fileListCapped).toBe(true);
    expect(mapped.unlistedLines).toBe(520);
    expect(mapped.commit.patchBytesOmitted).toBe(520 * 2);
    expect(mapped.commit.files).toHaveLength(GITHUB_MAX_COMMIT_FILES);

    const facts = extractFacts(mapped.commit, { criticalPaths: [], ignorePaths: [] });
    expect(facts.unseen.omittedPatchBytes).toBe(1040);
  });

  it("does not call a file list short of the limit capped, whatever the totals say", () => {
    const mapped = mapCommit(detail({ stats: { additions: 999, deletions: 0 } }), [
      file({ filename: "a", additions: 1, patch: "@@ -0,0 +1 @@\n+x" }),
    ]);
    expect(mapped.fileListCapped).toBe(false);
    expect(mapped.commit.patchBytesOmitted).toBe(0);
  });
});
